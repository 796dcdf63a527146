"""The launcher's demo options: two-level by default, ``--three-level`` on request."""

from portal import launcher


def test_the_launcher_builds_the_two_level_demo_unless_asked(capsys):
    assert launcher.parse_args([]).three_level is False
    assert launcher.parse_args(["--three-level"]).three_level is True
    launcher.banner({}, "8000")
    out = capsys.readouterr().out
    assert "Tỉnh Phú Thọ (two-level)" in out
    assert "http://luongson.phutho.localhost:8000/" in out
    # The former portals, merged in 2025, are listed with their old addresses.
    assert "http://hoason.hoabinh.localhost:8000/" in out


def test_the_three_level_banner_lists_districts(capsys):
    launcher.banner({"DEMO_MODEL": "three-level"}, "8000")
    out = capsys.readouterr().out
    assert "Tỉnh Hoà Bình (three-level)" in out
    assert "Huyện Mai Châu" in out and "hoason.hoabinh" not in out
