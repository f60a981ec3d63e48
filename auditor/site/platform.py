"""Which platform a portal runs on, from its home page.

Evidence, strongest first: the ``<meta name="generator">`` tag (NukeViet,
WordPress), the host name (``*.haiphong.edu.vn``), markup only the platform
emits, and the shape of the links on the home page (``/ct/<cat>/<id>``).
``auditor check`` says which profile it used and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from auditor.profiles import Profile, builtin_profiles
from auditor.site.extract import Tag, generator, links, path_and_query, same_site, select

# Weights of each kind of evidence; one generator tag outweighs everything else.
_GENERATOR, _HOST, _MARKER, _URLS = 10, 5, 2, 4
_MIN_URL_HITS = 3  # links of the platform's shape on the home page before they count


@dataclass(frozen=True)
class ProfileMatch:
    profile: str
    score: int
    reason: str  # Vietnamese
    reason_en: str


def detect_profile(home: Tag, home_url: str,
                   candidates: list[Profile] | None = None) -> ProfileMatch:
    """The best-matching profile; ``generic`` when nothing points anywhere."""
    profiles = candidates or builtin_profiles()
    gen = generator(home) or ""
    host = (urlsplit(home_url).hostname or "").lower()
    paths = [path_and_query(link.url) for link in links(home, home_url)
             if same_site(link.url, home_url)]
    best: ProfileMatch | None = None
    for profile in profiles:
        if profile.name == "generic":
            continue
        score, why, why_en = 0, [], []
        if gen and any(p.search(gen) for p in profile.generator):
            score += _GENERATOR
            why.append(f"thẻ generator “{gen}”")
            why_en.append(f"generator tag “{gen}”")
        if any(p.search(host) for p in profile.hosts):
            score += _HOST
            why.append(f"tên miền {host}")
            why_en.append(f"host {host}")
        found = [m for m in profile.markers if _has(home, m)]
        if found:
            score += _MARKER * len(found)
            why.append("mã HTML đặc trưng (" + ", ".join(found) + ")")
            why_en.append("platform markup (" + ", ".join(found) + ")")
        hits = sum(1 for p in paths if any(rx.search(p) for rx in profile.url_patterns))
        if hits >= _MIN_URL_HITS:
            score += _URLS
            why.append(f"{hits} liên kết trên trang chủ có dạng đường dẫn của nền tảng")
            why_en.append(f"{hits} home-page links in the platform's URL shape")
        if score and (best is None or score > best.score):
            best = ProfileMatch(profile.name, score, "; ".join(why), "; ".join(why_en))
    return best or ProfileMatch("generic", 0, "không nhận ra nền tảng, dùng hồ sơ chung",
                             "platform not recognised, using the generic profile")


def _has(soup: Tag, css: str) -> bool:
    return next(select(soup, css), None) is not None
