"""Media on S3-compatible object storage: moto's S3 server, run locally, behind the platform.

A document is uploaded in a site and downloaded through the platform's own document view
(collection privacy, attachment headers); an image rendition is made from the original in the
bucket and fetched from the address the page gives.  Keys carry the site's schema.
"""

from __future__ import annotations

import io
import json
import socket
import urllib.error
import urllib.request

import boto3
import pytest
from django.test import Client, override_settings
from django_tenants.utils import schema_context
from moto.server import ThreadedMotoServer
from PIL import Image

from tests.component_sites.factories import make_image, make_site_document

pytestmark = pytest.mark.django_db

BUCKET = "cong-thong-tin-media"
# The policy docs/deployment.md gives: images public, documents only through the platform.
PUBLIC_IMAGES_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AnhCongKhai",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": [
                f"arn:aws:s3:::{BUCKET}/*/images/*",
                f"arn:aws:s3:::{BUCKET}/*/original_images/*",
            ],
        }
    ],
}
CREDENTIALS = {"aws_access_key_id": "thu-nghiem", "aws_secret_access_key": "thu-nghiem"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_IMAGES_POLICY))
    yield endpoint
    server.stop()


@pytest.fixture
def object_storage(s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "portal.object_storage.TenantS3Storage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_QUERYSTRING_AUTH=False,
        AWS_DEFAULT_ACL=None,
        AWS_S3_FILE_OVERWRITE=False,
    ):
        yield boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)


def keys(client, prefix: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_a_document_in_the_bucket_is_served_by_the_document_view(sites, object_storage):
    content = b"%PDF-1.4\n% Quyet dinh so 12/QD-UBND\n" + b"0" * 2048
    with schema_context(sites.commune.schema_name):
        document = make_site_document("Quyết định 12", content=content)
        url = document.url
    schema = sites.commune.schema_name
    stored = keys(object_storage, f"{schema}/documents/")
    assert stored == [f"{schema}/{document.file.name}"]
    assert not keys(object_storage, f"{sites.direct_commune.schema_name}/")

    response = Client(HTTP_HOST=sites.commune.primary_domain).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Another site's domain does not serve it (its own schema has no such document).
    other = Client(HTTP_HOST=sites.direct_commune.primary_domain).get(url)
    assert other.status_code == 404
    # Nor does the bucket, to someone without the platform's credentials.
    public_url = f"{object_storage.meta.endpoint_url}/{BUCKET}/{stored[0]}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(public_url, timeout=30)  # noqa: S310 - http
    assert refused.value.code == 403


def test_an_image_rendition_is_made_from_the_bucket_and_served_from_it(sites, object_storage):
    schema = sites.commune.schema_name
    with schema_context(schema):
        image = make_image("Cầu treo bản Lác")
        rendition = image.get_rendition("fill-32x18")
        rendition_url = rendition.url
        rendition_name = rendition.file.name
    assert f"{schema}/{rendition_name}" in keys(object_storage, f"{schema}/images/")
    assert rendition_url.startswith(object_storage.meta.endpoint_url)
    with urllib.request.urlopen(rendition_url, timeout=30) as answer:  # noqa: S310 - http
        served = Image.open(io.BytesIO(answer.read()))
        assert served.size == (32, 18)
