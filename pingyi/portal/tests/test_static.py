from django.contrib.staticfiles import finders
from django.test import Client

VENDORED = ["vendor/bootstrap.min.css", "vendor/bootstrap.bundle.min.js", "vendor/htmx.min.js", "vendor/echarts.min.js"]


def test_vendored_assets_are_served_locally(db) -> None:
    for path in VENDORED:
        assert finders.find(path), path


def test_pages_load_no_asset_from_another_host(db) -> None:
    html = Client().get("/accounts/login/").content.decode()
    assert "/static/vendor/bootstrap.min.css" in html
    assert "http://" not in html and "https://" not in html
