"""The web app under hostile parameters and its response headers: every odd URL gets a 4xx with a
message (never a 500), and every response carries the static site's CSP discipline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HUGE = "99999999999999999999"
ODD_URLS = [
    f"/api/articles?offset={HUGE}",
    f"/api/articles?limit={HUGE}",
    f"/articles?offset={HUGE}",
    f"/search?q=AI&offset={HUGE}",
    f"/api/search?q=AI&offset={HUGE}",
    f"/article/{HUGE}",
    f"/api/articles/{HUGE}",
    "/article/-1",
    "/api/articles?from=0001-01-01",
    "/api/articles?to=9999-12-31",
    "/api/articles?from=0001-01-01&to=9999-12-31",
    "/api/articles?date=0001-01-01",
    "/api/articles?date=9999-12-31",
    "/articles?from=0001-01-01&to=9999-12-31",
    "/search?q=AI&from=0001-01-01&to=9999-12-31",
    "/api/search?q=AI&from=0001-01-01&to=9999-12-31",
    "/day/0001-01-01",
    "/day/9999-12-31",
    "/day/99999-01-01",
    f"/api/stories?min_members={HUGE}",
    f"/trends?weeks={HUGE}",
    f"/story/{'x' * 5000}",
]


@pytest.mark.parametrize("url", ODD_URLS)
def test_odd_parameters_are_a_clear_4xx(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert len(response.text.strip()) > 10  # a message, not an empty body
        if url.startswith("/api/"):
            assert response.json().get("detail"), response.text[:300]


@pytest.mark.parametrize("url", ["/api/articles?from=0001-01-01", "/day/0001-01-01", f"/api/articles?offset={HUGE}"])
def test_out_of_range_values_are_rejected_not_served(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("url", ["/", "/archive", "/articles", "/api/articles", "/api/openapi.json", "/nowhere",
                                 f"/article/{HUGE}"])
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    csp = headers.get("content-security-policy", "")
    for directive in ("default-src 'none'", "script-src 'none'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp, (url, csp)
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy") == "no-referrer"


def test_pages_still_work_under_the_policy(client: TestClient) -> None:
    page = client.get("/articles")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "style-src 'self'" in csp and "img-src 'self'" in csp  # the app's own CSS and SVG charts
