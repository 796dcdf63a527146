"""Media: page tree, albums, videos (upload and embed), audio, filters, bounded queries."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from component_sites.core.models import HomePage, SiteDocument, SiteImage
from component_sites.media.models import (
    AlbumPage,
    AlbumPhoto,
    AudioPage,
    MediaIndexPage,
    MediaItemPage,
    VideoPage,
)
from component_sites.media.queries import latest_media

pytestmark = pytest.mark.django_db


def make_image(title):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(buffer, format="PNG")
    image = SiteImage(title=title, alt_text=f"Ảnh {title}")
    image.file.save("anh.png", ImageFile(io.BytesIO(buffer.getvalue()), name="anh.png"), False)
    image.save()
    return image


def make_document(name, content=b"\x00" * 64):
    document = SiteDocument(title=name)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def add_album(index, title, photos=2, date=dt.date(2026, 3, 1)):
    album = AlbumPage(title=title, date=date)
    for n in range(photos):
        album.photos.add(AlbumPhoto(image=make_image(f"{title} {n}"), caption=f"Chú thích {n}"))
    index.add_child(instance=album)
    return album


def test_page_tree_rules(section, home):
    index = section("media")
    assert isinstance(index, MediaIndexPage)
    assert MediaIndexPage.allowed_parent_page_models() == [HomePage]
    assert set(MediaIndexPage.allowed_subpage_models()) == {AlbumPage, VideoPage, AudioPage}
    for model in (AlbumPage, VideoPage, AudioPage):
        assert model.can_create_at(index)
        assert not model.can_create_at(home)
    assert not MediaItemPage.can_create_at(index)
    assert not MediaIndexPage.can_create_at(home)


def test_album_renders_photos_with_captions_and_alt_text(section, client):
    album = add_album(section("media"), "Ngày hội đại đoàn kết", photos=3, date=dt.date(2026, 3, 7))
    assert album.cover_image_id == album.photos.first().image_id  # cover defaults to photo 1
    html = client.get(album.url).content.decode()
    assert "<h1>Ngày hội đại đoàn kết</h1>" in html
    assert ">07/03/2026</time>" in html
    assert "<figcaption>Chú thích 2</figcaption>" in html
    assert 'alt="Ảnh Ngày hội đại đoàn kết 0"' in html


def test_uploaded_video_plays_in_an_html5_player(section, client):
    video = VideoPage(
        title="Phóng sự nông thôn mới",
        date=dt.date(2026, 3, 2),
        video_file=make_document("phong-su.mp4"),
        duration=dt.timedelta(minutes=4, seconds=30),
    )
    section("media").add_child(instance=video)
    html = client.get(video.url).content.decode()
    assert "<video controls" in html
    assert 'type="video/mp4"' in html
    assert "Thời lượng 04:30" in html


def test_unresolvable_embed_url_shows_a_link_not_an_error(section, client):
    # No embed finder handles this host: Wagtail raises, the page shows a plain link.
    url = "https://video.example.invalid/xem/123"
    video = VideoPage(title="Video nhúng", date=dt.date(2026, 3, 2), embed_url=url)
    section("media").add_child(instance=video)
    response = client.get(video.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không hiển thị được trình phát video" in html
    assert f'href="{url}"' in html


def test_video_needs_exactly_one_source():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đúng một nguồn"):
        VideoPage(title="Trống", slug="trong").clean()


def test_audio_programme_with_transcript(section, client):
    audio = AudioPage(
        title="Bản tin phát thanh ngày 05/03/2026",
        date=dt.date(2026, 3, 5),
        audio_file=make_document("ban-tin.mp3"),
        duration=dt.timedelta(minutes=15),
        transcript="<p>Tóm tắt: hướng dẫn phòng chống rét cho trâu bò.</p>",
    )
    section("media").add_child(instance=audio)
    html = client.get(audio.url).content.decode()
    assert "<audio controls" in html
    assert 'type="audio/mpeg"' in html
    assert "Phát sóng ngày <time" in html and ">05/03/2026</time>" in html
    assert "hướng dẫn phòng chống rét" in html


def test_listing_filters_by_kind_and_rejects_unknown_kinds(section, client):
    index = section("media")
    add_album(index, "Album hội xuân", date=dt.date(2026, 2, 1))
    audio = AudioPage(title="Bản tin tháng 2", date=dt.date(2026, 2, 2))
    audio.audio_file = make_document("a.mp3")
    index.add_child(instance=audio)
    everything = client.get(index.url).content.decode()
    assert "Album hội xuân" in everything and "Bản tin tháng 2" in everything
    albums = client.get(index.url, {"loai": "album"}).content.decode()
    assert "Album hội xuân" in albums and "Bản tin tháng 2" not in albums
    bad = client.get(index.url, {"loai": "<script>"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Không có loại “&lt;script&gt;”" in html
    assert "Album hội xuân" in html and "Bản tin tháng 2" in html


def test_latest_media_newest_first_with_covers(home, section):
    index = section("media")
    add_album(index, "Cũ", date=dt.date(2026, 1, 1))
    add_album(index, "Mới", date=dt.date(2026, 3, 1))
    items = latest_media(home, 1)
    assert [item.title for item in items] == ["Mới"]
    assert isinstance(items[0], AlbumPage) and items[0].cover is not None


def test_listing_query_count_does_not_grow_with_items(section, client):
    index = section("media")

    def add(n):
        if n % 3 == 0:
            add_album(index, f"Album {n}", photos=1, date=dt.date(2026, 1, 1 + n))
        else:
            model = VideoPage if n % 3 == 1 else AudioPage
            page = model(
                title=f"Mục {n}", date=dt.date(2026, 1, 1 + n), cover_image=make_image(f"b{n}")
            )
            if model is VideoPage:
                page.video_file = make_document(f"v{n}.mp4")
            else:
                page.audio_file = make_document(f"a{n}.mp3")
            index.add_child(instance=page)

    def measure():
        client.get(index.url)  # first view makes the renditions
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured)

    for n in range(3):
        add(n)
    few = measure()
    for n in range(3, 12):
        add(n)
    many = measure()
    assert "Mục 11" in client.get(index.url).content.decode()
    assert many == few
