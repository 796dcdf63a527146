"""Demo content of the media app: two photo albums, a video and an audio programme."""

from __future__ import annotations

import datetime as dt
import io
import math
import wave

from django.core.files.base import ContentFile
from django.utils import timezone

# An openly licensed film (Blender Foundation, CC BY 3.0): the demo links to a real video
# instead of inventing one; without network access the page shows a plain link.
DEMO_VIDEO_URL = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def unit_phrase(tenant) -> str:
    name = tenant.name
    return name[:1].lower() + name[1:]


def chime_wav(rng, seconds: int = 12, rate: int = 8000) -> bytes:
    """A short mono WAV of soft chimes: a real, playable stand-in for a recorded bulletin."""
    notes = [rng.choice([392.0, 440.0, 523.25, 587.33, 659.25]) for _ in range(seconds)]
    frames = bytearray()
    for second, freq in enumerate(notes):
        for n in range(rate):
            t = n / rate
            envelope = math.exp(-3 * t)
            sample = int(9000 * envelope * math.sin(2 * math.pi * freq * (second + t)))
            frames += sample.to_bytes(2, "little", signed=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def build_media(context) -> None:
    from component_sites.core.models import SiteDocument

    from .models import AlbumPage, AlbumPhoto, AudioPage, MediaIndexPage, VideoPage

    tenant, rng = context.tenant, context.rng
    index = MediaIndexPage.objects.child_of(context.home).first()
    if index is None:
        return
    unit = unit_phrase(tenant)
    today = timezone.localdate()
    albums = [
        (
            f"Ngày hội đại đoàn kết toàn dân tộc tại {unit}",
            [
                ("Lễ chào cờ khai mạc ngày hội", "Đại biểu và nhân dân dự lễ chào cờ"),
                ("Văn nghệ chào mừng của các khu dân cư", "Tiết mục múa của đội văn nghệ"),
                ("Trao quà cho hộ gia đình có hoàn cảnh khó khăn", "Trao quà tại ngày hội"),
                ("Thi đẩy gậy, kéo co", "Các đội thi kéo co trên sân vận động"),
            ],
        ),
        (
            f"Vụ lúa xuân trên đồng ruộng {unit}",
            [
                ("Cánh đồng lúa thì con gái", "Cánh đồng lúa xanh dưới chân đồi"),
                ("Nông dân chăm sóc lúa", "Nông dân làm cỏ, bón phân cho lúa"),
                ("Máy gặt đập liên hợp thu hoạch lúa", "Máy gặt trên cánh đồng lúa chín"),
            ],
        ),
    ]
    for number, (title, photos) in enumerate(albums):
        album = AlbumPage(
            title=title,
            date=today - dt.timedelta(days=5 + number * 11),
            description=f"<p>Một số hình ảnh {title[:1].lower() + title[1:]}.</p>",
        )
        for caption, alt in photos:
            image = context.image(caption, f"{alt} (ảnh minh hoạ)", caption=caption, width=960)
            album.photos.add(AlbumPhoto(image=image, caption=caption))
        index.add_child(instance=album)
        album.save_revision().publish()
        context.count("albums")

    video = VideoPage(
        title="Video minh hoạ: phim hoạt hình mở Big Buck Bunny",
        date=today - dt.timedelta(days=3),
        embed_url=DEMO_VIDEO_URL,
        cover_image=context.image(
            "Ảnh đại diện video", "Khung cảnh đồi núi (ảnh minh hoạ)", width=960
        ),
        duration=dt.timedelta(minutes=10, seconds=34),
        description=(
            "<p>Video mẫu dùng phim hoạt hình mở của Blender Foundation (giấy phép CC BY 3.0) "
            "để minh hoạ cách trang hiển thị video nhúng từ YouTube.</p>"
        ),
        transcript=(
            "<p>Phim hoạt hình không lời: chú thỏ khổng lồ và những người bạn trong rừng.</p>"
        ),
    )
    index.add_child(instance=video)
    video.save_revision().publish()
    context.count("videos")

    day = today - dt.timedelta(days=1)
    audio_file = SiteDocument(title=f"Bản tin phát thanh ngày {day:%d/%m/%Y}")
    audio_file.file.save(f"ban-tin-{day:%Y%m%d}.wav", ContentFile(chime_wav(rng)), save=False)
    audio_file.save()
    context.count("documents")
    audio = AudioPage(
        title=f"Bản tin phát thanh {unit} ngày {day:%d/%m/%Y}",
        date=day,
        audio_file=audio_file,
        duration=dt.timedelta(seconds=12),
        description="<p>Bản tin phát thanh hằng tuần của đài truyền thanh cơ sở.</p>",
        transcript=(
            "<p>Bản tin gồm: kết quả sản xuất vụ xuân; hướng dẫn phòng chống mưa lũ; lịch tiếp "
            "công dân của lãnh đạo; thông báo tiêm phòng cho đàn gia súc, gia cầm.</p>"
            "<p>Tệp âm thanh mẫu chỉ gồm tiếng chuông báo hiệu của chương trình.</p>"
        ),
    )
    index.add_child(instance=audio)
    audio.save_revision().publish()
    context.count("audio programmes")
