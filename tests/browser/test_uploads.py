"""A collaborator tries to plant a page as a document; a visitor opens what got stored: live."""

import pytest
from django_tenants.utils import schema_context

from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-tai-len-2026"
USERNAME = "ctv.tailen"
HTML = b"<html><body><script>document.title='XSS'</script>Trang gia</body></html>"
POLYGLOT = b"%PDF-1.4\n%<html><script>document.title='XSS'</script></html>\n%%EOF\n"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


@pytest.fixture(scope="module")
def live_server_port(sites, django_db_blocker):
    """The platform over HTTP as gunicorn runs it: /media/ answered by the platform's URLs.

    Django's live server puts a media file handler of its own in front (it serves MEDIA_ROOT
    inline, as no production set-up does); this one is unwrapped to reach the platform.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        thread = LiveServerThread(
            "127.0.0.1", lambda media_handler: StaticFilesHandler(media_handler.application)
        )
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield thread.port
        finally:
            thread.terminate()


@pytest.fixture
def collaborator(sites, django_db_blocker):
    """A committed collaborator of the commune, and a legacy HTML document stored there."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from component_sites.editorial.roles import COLLABORATOR

    schema = sites.direct_commune.schema_name

    def create():
        with schema_context(schema):
            user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
            user.groups.add(Group.objects.get(name=COLLABORATOR))
            legacy = get_document_model()(
                title="Trang cũ", collection=Collection.get_first_root_node()
            )
            legacy.file.save("trang-cu.html", ContentFile(HTML), save=False)
            legacy.save()
            return legacy.url, legacy.file.url

    def clean_up():
        with schema_context(schema):
            for document in get_document_model().objects.all():
                document.delete()  # Wagtail removes the file too
            get_user_model().objects.filter(username=USERNAME).delete()

    with django_db_blocker.unblock():
        urls = committed(create)
    yield urls
    with django_db_blocker.unblock():
        committed(clean_up)


def _upload(page, host, name, content):
    page.goto(f"{host}/admin/documents/add/")
    page.fill("#id_title", "Báo cáo quý")
    page.set_input_files(
        "#id_file", {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    page.click("main form button.button-longrunning[type=submit]")


def test_a_page_uploaded_as_a_document_is_refused_and_a_stored_one_never_runs(
    sites, live_server_port, page, collaborator
):
    document_url, media_url = collaborator
    host = f"http://{sites.direct_commune.primary_domain}:{live_server_port}"
    page.goto(f"{host}/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{host}/admin/")

    _upload(page, host, "bao-cao.pdf", POLYGLOT)
    page.get_by_text("Tệp bị từ chối vì chứa mã trang web").wait_for()
    _upload(page, host, "bao-cao.pdf", PDF)
    page.wait_for_url(f"{host}/admin/documents/")

    # The stored HTML file: both of its addresses give a download, never a page of the site.
    for url in (document_url, media_url):
        with page.expect_download() as download:
            page.evaluate("url => { window.location.href = url }", f"{host}{url}")
        assert download.value.suggested_filename == "trang-cu.html"
        assert page.title() != "XSS"
