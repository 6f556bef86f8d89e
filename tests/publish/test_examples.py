"""The scheduling recipes and example config under examples/ stay usable."""

from __future__ import annotations

import re
from pathlib import Path

from ainews.config import load_settings
from ainews.publish import deliver

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_example_config_loads_and_enables_every_channel() -> None:
    settings = load_settings(EXAMPLES / "ainews.toml")
    assert all(channel.configured(settings) for channel in deliver.CHANNELS)
    assert settings.delivery.slack.webhook_url_env == "SLACK_WEBHOOK_URL"
    assert settings.delivery.email.starttls and settings.delivery.email.port == 587


def test_workflow_runs_daily_at_seven_kst_and_commits_outputs() -> None:
    text = (EXAMPLES / "ainews-daily.yml").read_text(encoding="utf-8")
    cron = re.search(r'cron:\s*"([^"]+)"', text)
    assert cron and cron.group(1).split()[:2] == ["0", "22"]  # 22:00 UTC = 07:00 KST next day
    assert "ainews run" in text and "git add digests site" in text
    for secret in ("SLACK_WEBHOOK_URL", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"):
        assert f"secrets.{secret}" in text
    assert "\t" not in text  # YAML forbids tabs


def test_systemd_timer_and_cron() -> None:
    timer = (EXAMPLES / "ainews.timer").read_text(encoding="utf-8")
    assert re.search(r"^OnCalendar=\*-\*-\* 07:00:00 Asia/Seoul$", timer, re.M)
    service = (EXAMPLES / "ainews.service").read_text(encoding="utf-8")
    assert "Type=oneshot" in service and re.search(r"^ExecStart=.*ainews run$", service, re.M)
    cron = (EXAMPLES / "crontab.txt").read_text(encoding="utf-8")
    assert re.search(r"^0 7 \* \* \* .*ainews run", cron, re.M) and "CRON_TZ=Asia/Seoul" in cron
