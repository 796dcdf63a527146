"""The datasets a site publishes through its open-data API, registered by the apps that own them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Open data changes a few times a day: clients and shared caches may keep it 5 minutes,
# then revalidate (ETag / Last-Modified answer 304 when nothing changed).
CACHE_SECONDS = 300


@dataclass
class Dataset:
    name: str
    title: str
    description: str
    list_url_name: str
    # For the OpenAPI description (component_sites.opendata.schema): one record's JSON
    # Schema, the list's own query parameters (or a function of no argument giving them,
    # read in the site's schema: e.g. the site's own document types), the detail's key.
    item_schema: dict[str, Any] | None = None
    list_parameters: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]] = field(
        default_factory=list
    )
    key_description: str = ""


_DATASETS: dict[str, Dataset] = {}


def datasets() -> list[Dataset]:
    return list(_DATASETS.values())


def register_dataset(dataset: Dataset) -> None:
    """Make ``dataset`` appear in the index (apps call this in ``AppConfig.ready``)."""
    _DATASETS[dataset.name] = dataset
