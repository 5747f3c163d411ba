"""The checks of how private pictures are sent and who may sign up."""

from storyforge import access_checks


def ids(messages):
    return [message.id for message in messages]


def test_an_unknown_media_sendfile_is_an_error(settings):
    settings.MEDIA_SENDFILE = "lighttpd"
    assert ids(access_checks.check_media_sendfile()) == ["storyforge.E021"]
    for mode in ("app", "nginx", "apache"):
        settings.MEDIA_SENDFILE = mode
        assert access_checks.check_media_sendfile() == []


def test_redirect_is_for_object_storage_and_the_web_servers_are_for_a_disk(settings):
    settings.STORYFORGE_MEDIA_STORAGE = "local"
    settings.MEDIA_SENDFILE = "redirect"
    assert ids(access_checks.check_media_sendfile()) == ["storyforge.E021"]
    settings.STORYFORGE_MEDIA_STORAGE = "s3"
    assert access_checks.check_media_sendfile() == []
    for mode in ("nginx", "apache"):
        settings.MEDIA_SENDFILE = mode
        [message] = access_checks.check_media_sendfile()
        assert "object storage" in message.msg


def test_object_storage_names_each_missing_or_malformed_value(settings):
    settings.STORYFORGE_MEDIA_STORAGE = "s3"
    settings.AWS_STORAGE_BUCKET_NAME = None
    settings.AWS_S3_ENDPOINT_URL = "minio:9000"
    settings.AWS_ACCESS_KEY_ID = "storyforge"
    settings.AWS_SECRET_ACCESS_KEY = None
    settings.AWS_QUERYSTRING_EXPIRE = -1

    messages = access_checks.check_media_storage()

    assert set(ids(messages)) == {"storyforge.E024"}
    text = " ".join(message.msg for message in messages)
    for named in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_SECRET_ACCESS_KEY", "AWS_QUERYSTRING_EXPIRE"):
        assert named in text
    settings.AWS_STORAGE_BUCKET_NAME = "books"
    settings.AWS_S3_ENDPOINT_URL = "https://minio.example.org:9000"
    settings.AWS_SECRET_ACCESS_KEY = "secret"
    settings.AWS_QUERYSTRING_EXPIRE = 300
    assert access_checks.check_media_storage() == []


def test_an_unknown_media_storage_is_an_error(settings):
    settings.STORYFORGE_MEDIA_STORAGE = "ftp"
    assert ids(access_checks.check_media_storage()) == ["storyforge.E023"]


def test_nginx_needs_a_location_path(settings):
    settings.MEDIA_SENDFILE = "nginx"
    settings.MEDIA_SENDFILE_PREFIX = "protected"
    [message] = access_checks.check_media_sendfile()
    assert message.id == "storyforge.E021"
    assert "slash" in message.hint


def test_an_unknown_signup_mode_is_an_error_and_sign_up_is_closed_meanwhile(settings, client, db):
    settings.STORYFORGE_SIGNUP = "public"
    assert ids(access_checks.check_signup()) == ["storyforge.E022"]
    answer = client.post(
        "/api/v1/auth/register/",
        {"username": "a", "email": "a@example.org", "password": "a-long-bedtime-story"},
        content_type="application/json",
    )
    assert answer.json()["error"]["code"] == "SIGNUP_CLOSED"


def test_open_sign_up_in_production_is_a_deploy_warning(settings):
    settings.PRODUCTION = True
    settings.STORYFORGE_SIGNUP = "open"
    assert ids(access_checks.check_signup_open_in_production()) == ["storyforge.W063"]
    settings.STORYFORGE_SIGNUP = "invite"
    assert access_checks.check_signup_open_in_production() == []
