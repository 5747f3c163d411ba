"""The fake AUTOMATIC1111 webui answers as the real one does, so the provider's tests mean something."""

import base64
import hashlib
import io
import json
import threading

import httpx
import pytest
from PIL import Image

from tests.fakes.automatic1111_server import OUT_OF_MEMORY, FakeAutomatic1111Server, Reply, checkpoint

WAIT = 10.0


@pytest.fixture(scope="module")
def _server():
    with FakeAutomatic1111Server() as server:
        yield server


@pytest.fixture
def fake(_server):
    _server.reset()
    yield _server
    _server.reset()


@pytest.fixture
def client(fake):
    with httpx.Client(base_url=fake.base_url, timeout=WAIT) as client:
        yield client


def pictures(body: dict) -> list[Image.Image]:
    return [Image.open(io.BytesIO(base64.b64decode(item))) for item in body["images"]]


def png_b64(colour: str, size: tuple[int, int]) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode(), buffer.getvalue()


def test_base_url_is_the_server_root(fake):
    assert fake.base_url == f"http://127.0.0.1:{fake.port}"


def test_txt2img_draws_a_batch_of_pngs_of_the_size_asked(fake, client):
    response = client.post(
        "/sdapi/v1/txt2img", json={"prompt": "a fox", "seed": 9, "width": 320, "height": 256, "batch_size": 3}
    )

    assert response.status_code == 200
    body = response.json()
    images = pictures(body)
    assert [(image.format, image.size) for image in images] == [("PNG", (320, 256))] * 3
    assert len({image.tobytes() for image in images}) == 3  # each seed draws its own
    info = json.loads(body["info"])  # a JSON string, as the webui sends it
    assert (info["seed"], info["all_seeds"]) == (9, [9, 10, 11])
    assert info["sd_model_name"] == "v1-5-pruned-emaonly"
    assert body["parameters"]["prompt"] == "a fox"
    assert "Seed: 9" in images[0].text["parameters"]
    (request,) = fake.requests_for("txt2img")
    assert request.json["batch_size"] == 3


def test_the_picture_depends_on_prompt_and_seed(client):
    def drawn(prompt, seed):
        body = client.post("/sdapi/v1/txt2img", json={"prompt": prompt, "seed": seed, "width": 64, "height": 64})
        return pictures(body.json())[0].tobytes()

    assert drawn("a fox", 1) == drawn("a fox", 1)
    assert drawn("a fox", 1) != drawn("a fox", 2)
    assert drawn("a fox", 1) != drawn("an owl", 1)


def test_img2img_records_the_init_image_it_was_given(fake, client):
    encoded, raw = png_b64("blue", (48, 40))

    response = client.post(
        "/sdapi/v1/img2img",
        json={"prompt": "a fox", "init_images": [encoded], "denoising_strength": 0.3, "width": 128, "height": 96},
    )

    assert response.status_code == 200
    assert pictures(response.json())[0].size == (128, 96)
    assert response.json()["parameters"]["init_images"] is None  # not echoed back
    (request,) = fake.requests_for("img2img")
    assert request.init_images == [{"width": 48, "height": 40, "sha256": hashlib.sha256(raw).hexdigest()}]


def test_img2img_without_an_image_or_with_a_broken_one(client):
    missing = client.post("/sdapi/v1/img2img", json={"prompt": "a fox"})
    broken = client.post("/sdapi/v1/img2img", json={"init_images": ["bm90IGFuIGltYWdl"]})

    assert (missing.status_code, missing.json()["detail"]) == (404, "Init image not found")
    assert (broken.status_code, broken.json()["detail"]) == (500, "Invalid encoded image")


def test_checkpoints_and_options(fake, client):
    models = client.get("/sdapi/v1/sd-models").json()
    options = client.get("/sdapi/v1/options").json()

    assert models[0] == checkpoint("v1-5-pruned-emaonly.safetensors")
    assert set(models[0]) == {"title", "model_name", "hash", "sha256", "filename", "config"}
    assert models[0]["title"] == f"v1-5-pruned-emaonly.safetensors [{models[0]['sha256'][:10]}]"
    assert options["sd_model_checkpoint"] == models[0]["title"]


def test_override_checkpoint_draws_with_it_and_an_unknown_one_is_ignored(client):
    def model_of(name):
        body = client.post("/sdapi/v1/txt2img", json={"override_settings": {"sd_model_checkpoint": name}}).json()
        return json.loads(body["info"])["sd_model_name"]

    assert model_of("dreamshaper_8") == "dreamshaper_8"
    assert model_of("no-such-model") == "v1-5-pruned-emaonly"


def test_without_api_every_route_is_not_found(fake, client):
    fake.api_enabled = False

    for response in (client.get("/sdapi/v1/sd-models"), client.post("/sdapi/v1/txt2img", json={})):
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_basic_auth(fake, client):
    fake.auth = "user:pass"

    assert client.get("/sdapi/v1/sd-models").status_code == 401
    wrong = client.get("/sdapi/v1/sd-models", auth=("user", "nope"))
    assert (wrong.status_code, wrong.json()["detail"]) == (401, "Incorrect username or password")
    assert client.get("/sdapi/v1/sd-models", auth=("user", "pass")).status_code == 200


def test_malformed_fields_are_422(client):
    response = client.post("/sdapi/v1/txt2img", json={"width": "wide"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "width"]


def test_scripted_out_of_memory_then_the_usual_answer(fake, client):
    fake.script("txt2img", Reply.out_of_memory())

    first = client.post("/sdapi/v1/txt2img", json={})
    second = client.post("/sdapi/v1/txt2img", json={})

    assert first.status_code == 500
    assert first.json() == {"error": "OutOfMemoryError", "detail": "", "body": "", "errors": OUT_OF_MEMORY}
    assert second.status_code == 200
    assert [request.reply for request in fake.requests] == ["500", "ok"]


def test_scripted_422_and_drop(fake, client):
    fake.script("txt2img", Reply.unprocessable("height"), Reply.drop())

    assert client.post("/sdapi/v1/txt2img", json={}).status_code == 422
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/sdapi/v1/txt2img", json={})


def test_scripted_slow_reply_outlasts_a_short_timeout(fake):
    fake.script("txt2img", Reply.slow(3))

    with httpx.Client(base_url=fake.base_url, timeout=0.3) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/sdapi/v1/txt2img", json={})


def test_no_images_reply(fake, client):
    fake.script("txt2img", Reply.no_images())

    assert client.post("/sdapi/v1/txt2img", json={}).json()["images"] == []


def test_one_picture_at_a_time_with_the_others_counted_in_flight(fake):
    fake.hold()
    answers = []

    def post():
        with httpx.Client(base_url=fake.base_url, timeout=WAIT) as client:
            answers.append(client.post("/sdapi/v1/txt2img", json={"width": 64, "height": 64}).status_code)

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    assert fake.wait_in_flight(3, WAIT)
    fake.release()
    for thread in threads:
        thread.join(WAIT)

    assert answers == [200, 200, 200]
    assert (fake.max_in_flight, fake.in_flight) == (3, 0)


def test_reset_restores_the_constructor_options():
    with FakeAutomatic1111Server(checkpoints=("only.safetensors",), auth="a:b") as server:
        server.auth, server.api_enabled = None, False
        server.checkpoints.clear()
        server.script("txt2img", Reply.drop())

        server.reset()

        assert (server.auth, server.api_enabled) == ("a:b", True)
        assert [item["model_name"] for item in server.checkpoints] == ["only"]
        with httpx.Client(base_url=server.base_url, auth=("a", "b"), timeout=WAIT) as client:
            assert client.post("/sdapi/v1/txt2img", json={}).status_code == 200


def test_stop_closes_the_port():
    server = FakeAutomatic1111Server().start()
    url = server.base_url
    server.stop()

    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/sdapi/v1/options", timeout=WAIT)
