"""Page-cache keys are bounded: host spellings and random query strings add no entries."""

from __future__ import annotations

import random
import string

import pytest
from django.core.cache import cache
from django.test import Client

from component_sites.core import page_cache_keys

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


def page_keys(schema: str) -> list[bytes]:
    client = cache._cache.get_client(write=False)
    return [key for key in client.scan_iter(match=f"{schema}:*pagecache:*", count=500)]


def spellings(domain: str, count: int) -> list[str]:
    rng = random.Random(13)
    made = []
    for number in range(count):
        host = "".join(c.upper() if rng.random() < 0.5 else c for c in domain)
        if number % 3 == 0:
            host += "."
        if number % 4 == 0:
            host += f":{rng.randrange(1, 65535)}"
        made.append(host)
    return made


def random_query(rng: random.Random) -> str:
    def word():
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(1, 9)))

    params = [f"utm_{word()}={word()}", f"fbclid={word()}", f"zarsrc={rng.randrange(99)}"]
    params += [f"{word()}={word()}" for _ in range(rng.randrange(0, 3))]
    rng.shuffle(params)
    return "&".join(params)


def test_a_hundred_host_spellings_make_one_entry(sites):
    site = sites.commune
    canonical = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    assert canonical.get("/")["X-Cache"] == "MISS"
    before = len(page_keys(site.schema_name))
    for host in spellings(site.primary_domain, 100):
        response = Client(HTTP_HOST=host, HTTP_USER_AGENT=BROWSER).get("/")
        assert response.status_code == 200, host
        assert response["X-Cache"] == "HIT", host
    assert len(page_keys(site.schema_name)) == before


def test_a_page_first_seen_through_an_odd_spelling_is_not_stored_from_it(sites):
    site = sites.commune
    odd = Client(HTTP_HOST=site.primary_domain.upper() + ".:8443", HTTP_USER_AGENT=BROWSER)
    assert "X-Cache" not in odd.get("/tin-tuc/")
    assert all(b"generation" in key for key in page_keys(site.schema_name))
    canonical = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    assert canonical.get("/tin-tuc/")["X-Cache"] == "MISS"
    assert odd.get("/tin-tuc/")["X-Cache"] == "HIT"


def test_tracking_and_unknown_parameters_are_served_the_one_copy(sites):
    site = sites.commune
    visitor = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    assert visitor.get("/")["X-Cache"] == "MISS"
    before = len(page_keys(site.schema_name))
    rng = random.Random(7)
    for _ in range(100):
        response = visitor.generic("GET", "/", QUERY_STRING=random_query(rng))
        assert response["X-Cache"] == "HIT"
    assert len(page_keys(site.schema_name)) == before


def test_a_listing_that_reads_parameters_has_a_bounded_number_of_variants(sites, settings):
    settings.PAGE_CACHE_VARIANTS = 10
    site = sites.commune
    visitor = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    rng = random.Random(3)
    for number in range(100):
        query = f"page={number}&{random_query(rng)}"
        assert visitor.generic("GET", "/tin-tuc/", QUERY_STRING=query).status_code == 200
    # The variants, plus the generation stamp, the params record and the variant counter.
    keys = page_keys(site.schema_name)
    assert len(keys) <= settings.PAGE_CACHE_VARIANTS + 3, len(keys)


def test_tracking_parameters_never_reach_the_view(sites):
    site = sites.commune
    visitor = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    body = visitor.generic(
        "GET", "/van-ban/", QUERY_STRING="utm_source=zalo&fbclid=abc&q=ngh%E1%BB%8B"
    ).content.decode()
    assert "utm_source" not in body and "fbclid" not in body


def test_keys_have_a_fixed_length_whatever_the_path():
    class Request:
        path = "/" + "x" * 5000 + "/"
        META = {"HTTP_HOST": "a.test"}
        tenant = type("T", (), {"domain_url": "a.test"})()

        @staticmethod
        def get_host():
            return "a.test"

    key = page_cache_keys.cache_key(
        Request, "g" * 32, [("q", "y" * 5000)], page_cache_keys.ALL_PARAMETERS
    )
    assert len(key) < 120
