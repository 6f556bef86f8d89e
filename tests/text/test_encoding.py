"""Bytes → text without mojibake: declared or not, EUC-KR labels decoded as CP949, UTF-8 bytes
under a stale euc-kr declaration, and the whole extract() path on the real CP949 pages."""

from __future__ import annotations

import pytest

from ainews.extract import extract
from ainews.models import RawPage
from ainews.text.encoding import decode, detect_declared
from tests.support.extract_fixtures import SHARED

CP949_ONLY = "똠방각하 펲시콜라 햏"  # syllables outside strict EUC-KR (KS X 1001)


def corpus(rel: str) -> bytes:
    path = SHARED / "corpus" / rel
    if not path.exists():
        pytest.skip(f"../shared/corpus/{rel} not present")
    return path.read_bytes()


def test_euc_kr_label_is_decoded_as_cp949() -> None:
    data = f"<html><head><meta charset='euc-kr'></head><body>{CP949_ONLY}</body></html>".encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        data.decode("euc-kr")
    assert CP949_ONLY in decode(data)
    assert CP949_ONLY in decode(data, "text/html; charset=EUC-KR")


def test_undeclared_cp949_is_detected() -> None:
    text = "국회 폭력방지법 제정을 추진하기로 했다. " * 20
    assert decode(text.encode("cp949")) == text


def test_utf8_bytes_win_over_stale_declaration() -> None:
    data = "<meta charset='euc-kr'><p>한글 본문입니다</p>".encode()
    assert "한글 본문입니다" in decode(data, "text/html; charset=euc-kr")


def test_bom_and_header_order() -> None:
    assert decode("\ufeff한글".encode()) == "한글"
    assert detect_declared(b"<meta charset=euc-kr>", "text/html; charset=utf-8")[0] == "utf-8"


@pytest.mark.parametrize("name", ["chosun-1.html", "chosun-2.html", "khan-1.html", "khan-2.html",
                                  "chardet-cp949-nocharset-1.html"])
def test_real_cp949_pages_decode_cleanly(name: str) -> None:
    text = decode(corpus(f"html/{name}"))
    assert "\ufffd" not in text
    assert sum("가" <= c <= "힣" for c in text) > 200


@pytest.mark.parametrize(("name", "needle"), [("feeds/ricanet-rss-cp949-1.xml", "<rss"),
                                              ("feeds/acnnewswire-rss-euckr-1.xml", "<rss")])
def test_real_euc_kr_labelled_feeds_decode_without_replacement(name: str, needle: str) -> None:
    text = decode(corpus(name), "application/rss+xml")
    assert needle in text
    assert "\ufffd" not in text
    assert sum("가" <= c <= "힣" for c in text) > 100


def test_extract_cp949_page_with_wrong_content_type_charset() -> None:
    data = corpus("html/khan-1.html")
    a = extract(RawPage(url="http://biz.khan.co.kr/khan_art_view.html?artid=201609260957011&code=920100",
                        content=data, content_type="text/html; charset=utf-8"))
    assert a.extraction_ok, a.extraction_reason
    assert a.title.startswith("[국감]소비자 80%")
    assert "\ufffd" not in a.body


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(codec: str) -> None:
    page = ("<html><head><title>오픈AI 발표</title></head><body><article><p>"
            + "오픈AI가 새 인공지능 모델을 공개했다. 한국어 성능이 좋아졌다고 밝혔다. " * 8
            + "</p></article></body></html>")
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    content = bom + page.encode(codec)
    assert decode(content) == page
    article = extract(RawPage(url="https://news.example/a", content=content, content_type="text/html"))
    assert article.title == "오픈AI 발표" and "새 인공지능 모델" in article.body
