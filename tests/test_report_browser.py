"""The HTML report rendered by a real headless browser (Debian's chromium).

.ci/run installs the `chromium` package; on a machine without it this test
fails with a message saying so, rather than skipping silently.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor.render.html import render_html
from tests.report_factory import make_report, many_findings

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("No headless browser found: install Debian's 'chromium' package "
                "(apt-get install -y chromium), as .ci/run does.")


def run_browser(tmp_path: Path, *args: str) -> None:
    profile = tmp_path / "profile"
    cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_html(make_report(), tmp_path_factory.mktemp("html") / "bao-cao.html")


def pdf_title(data: bytes) -> str:
    match = re.search(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", data)
    assert match, "the PDF has no title"
    raw = match.group(1)
    if raw.startswith(b"<"):
        decoded = bytes.fromhex(raw[1:-1].decode())
        return decoded[2:].decode("utf-16-be") if decoded[:2] == b"\xfe\xff" else decoded.decode(
            "latin-1")
    return raw[1:-1].decode("latin-1")


def test_prints_to_pdf_with_its_title_and_several_pages(report_file: Path, tmp_path: Path):
    pdf = tmp_path / "bao-cao.pdf"
    run_browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                report_file.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = max(int(n) for n in re.findall(rb"/Count\s+(\d+)", data))
    # Summary, monthly chart, events, disclosure, encoding, findings, emulation and the
    # signature block: more than one A4 landscape page, and not an empty document.
    assert 2 <= pages <= 30, pages
    title = BeautifulSoup(report_file.read_text(encoding="utf-8"), "lxml").title.get_text()
    assert pdf_title(data) == title
    assert "Trường THCS Hoa Phượng" in title


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_screenshot_renders_at_desktop_and_phone_width(report_file: Path, tmp_path: Path,
                                                       size: tuple[int, int]):
    shot = tmp_path / "shot.png"
    run_browser(tmp_path, f"--window-size={size[0]},{size[1]}", f"--screenshot={shot}",
                "--hide-scrollbars", report_file.as_uri())
    assert png_size(shot) == size
    # A blank page compresses to almost nothing; a rendered report does not.
    assert shot.stat().st_size > 20_000


def test_a_link_to_a_finding_opens_its_collapsed_section(tmp_path: Path):
    report = make_report()
    report = make_report(results=report.results + (many_findings(300),))
    page = render_html(report, tmp_path / "dai.html")

    def dom(url: str) -> BeautifulSoup:
        profile = tmp_path / "dom-profile"
        cmd = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               f"--user-data-dir={profile}", "--dump-dom", url]
        done = subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        return BeautifulSoup(done.stdout.decode("utf-8"), "lxml")

    closed = dom(page.as_uri()).find(id="r-site.broken-links")
    assert closed is not None and not closed.has_attr("open")  # 300 rows: collapsed
    opened = dom(page.as_uri() + "#f250").find(id="f250").find_parent("details")
    assert opened["id"] == "r-site.broken-links" and opened.has_attr("open")
