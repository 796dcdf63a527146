"""What the media library gives the province's scoring: its section is filled by albums,
videos and audio programmes."""

from component_sites.core.figures import pages_below, register_section_content
from component_sites.core.models import SectionPage

register_section_content(
    SectionPage.Key.MEDIA, pages_below("media.AlbumPage", "media.VideoPage", "media.AudioPage")
)
