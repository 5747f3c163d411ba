import json

import pytest


def test_the_manifest_names_the_app_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == "StoryForge" and manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root_and_caches_the_shell(client):
    response = client.get("/sw.js")
    script = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert "/offline/" in script and "css/site.css" in script
    for path in ("/static/css/site.css", "/static/js/reader.js", "/static/js/site.js"):
        assert path in script


@pytest.mark.django_db
def test_the_offline_page_explains_what_still_works(client):
    assert "Stories you have opened before can still be read" in client.get("/offline/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/stories/99999999999999999999/", "/characters/9223372036854775808/", "/series/18446744073709551616/"]
)
def test_an_id_too_big_for_the_database_is_simply_not_found(admin_client, path):
    assert admin_client.get(path).status_code == 404
