"""The search page of a site (/tim-kiem/): one box, results grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.shortcuts import render
from wagtail.models import Page

from component_sites.core.numbers import filter_by_number, is_number_query
from component_sites.core.pagination import paginate
from component_sites.core.text import fold

MAX_QUERY_LENGTH = 200
PER_GROUP = 5
PER_PAGE = 20


@dataclass
class Kind:
    key: str
    label: str
    model: str | None  # a page model; None: procedures (not pages)
    by_number: bool = False  # the model has a document number ("number") to match first


KINDS = [
    Kind("tin-tuc", "Tin tức", "news.ArticlePage"),
    Kind("van-ban", "Văn bản", "documents.LegalDocumentPage", by_number=True),
    Kind("thu-tuc", "Thủ tục hành chính", None),
    Kind("thong-bao", "Thông báo", "notices.NoticePage"),
    Kind("khac", "Trang khác", ""),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass
class Group:
    kind: Kind
    items: list = field(default_factory=list)
    count: int = 0
    page: object = None


def _page_results(kind: Kind, query: str, raw_query: str = ""):
    if kind.model:
        queryset = apps.get_model(kind.model).objects.live().public()
        if kind.by_number and is_number_query(raw_query):
            # A document number ("13/2023/NĐ-CP", "194"): the number column, if it has it.
            found = filter_by_number(queryset, raw_query)
            if found.exists():
                return found.order_by("-issue_date", "-pk")
    else:
        others = [apps.get_model(k.model) for k in KINDS if k.model]
        queryset = Page.objects.live().public().filter(depth__gt=1).not_type(*others)
    return queryset.search(query, operator="and", order_by_relevance=True)


def _procedure_results(query: str):
    from component_sites.procedures.models import (
        ProcedureIndexPage,
        active_copies,
        filter_copies,
    )

    index = ProcedureIndexPage.objects.live().first()
    if index is None:
        return [], None
    return filter_copies(active_copies(), query=query).order_by("name"), index


def site_search(request):
    """Search pages, documents and procedures; diacritics in the query or the text don't matter."""
    raw = request.GET.get("q", "")
    query = " ".join(raw.split())
    messages: list[str] = []
    groups: list[Group] = []
    selected = request.GET.get("loai", "")
    if selected and selected not in KINDS_BY_KEY:
        messages.append(f"Không có loại kết quả “{selected[:30]}”; đang hiển thị mọi loại.")
        selected = ""
    if len(query) > MAX_QUERY_LENGTH:
        messages.append(
            f"Từ khóa dài {len(query)} ký tự, quá giới hạn {MAX_QUERY_LENGTH} ký tự; "
            "hãy rút gọn để tìm."
        )
        query = ""
    folded = fold(query)
    total = 0
    if folded:
        kinds = [KINDS_BY_KEY[selected]] if selected else KINDS
        for kind in kinds:
            group = Group(kind=kind)
            if kind.model is None:
                results, index = _procedure_results(folded)
                group.procedure_index = index
            else:
                results = _page_results(kind, folded, query)
            if selected:
                group.page, page_message = paginate(request, results, PER_PAGE)
                if page_message:
                    messages.append(str(page_message))
                group.items = list(group.page.object_list)
                group.count = group.page.paginator.count
            else:
                group.items = list(results[:PER_GROUP])
                group.count = len(group.items)
                if group.count == PER_GROUP:
                    group.count = results.count()
            total += group.count
            groups.append(group)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "raw_query": raw[:MAX_QUERY_LENGTH],
            "groups": [g for g in groups if g.count or selected],
            "selected": KINDS_BY_KEY.get(selected),
            "kinds": KINDS,
            "total": total,
            "messages_list": messages,
            "searched": bool(folded),
        },
    )
