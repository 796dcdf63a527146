"""Benchmark: server time of the review workflow's clicks ("Duyệt", the head's final approval).

Provisions one commune with the demo content in a scratch database and the editorial board
(collaborator, editor, head, and ``--reviewers`` more editors and heads: everyone in the
group of the step an article reaches is e-mailed).  Each round: the collaborator submits a
new article, the editor approves the first step and the head the last one (which
publishes), timed end to end through Django's test client; once through Wagtail's workflow
action view (the dialog's button) and once through the editor's footer "Duyệt" (the whole
edit form is posted and saved too).

Each configuration is run in turn, round by round, so that machine noise hits both alike:
``as shipped`` (workflow e-mails queued for the worker, see
``component_sites.editorial.signal_handlers``) and ``inline e-mail`` (Wagtail's own
notifiers reconnected, sending through a mail server that takes ``--smtp-delay`` seconds
per message, as a slow provincial SMTP relay does).  ``--profile`` prints where the time
of one final approval from the editor's footer goes (cProfile, cumulative).

    python bench/workflow_approval.py [--runs 10] [--reviewers 4] [--smtp-delay 0.8] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import drop_scratch, setup_scratch_platform  # noqa: E402

PASSWORD = "Mat-khau-bench-2026"


class SlowSMTP:
    """A mail backend that takes ``delay`` seconds per message (an SMTP relay far away)."""

    delay = 0.8

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for _message in messages:
            time.sleep(self.delay)
        return len(messages)

    def open(self):
        return True

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="rounds of each kind (default 10)")
    parser.add_argument("--smtp-delay", type=float, default=0.8, help="seconds per e-mail")
    parser.add_argument(
        "--profile", action="store_true", help="profile one final approval from the footer"
    )
    parser.add_argument(
        "--reviewers",
        type=int,
        default=4,
        help="editors and heads of the board besides the two who click (each one is e-mailed)",
    )
    args = parser.parse_args()
    SlowSMTP.delay = args.smtp_delay

    url = setup_scratch_platform()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django_tenants.utils import schema_context
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from component_sites.core.demo import build_demo_content
    from component_sites.editorial import signal_handlers
    from component_sites.editorial.models import CategoryAssignment
    from component_sites.editorial.roles import COLLABORATOR, EDITOR, HEAD
    from component_sites.news.models import ArticlePage, NewsCategoryPage
    from tenants.provisioning import provision_site
    from tenants.specs import SiteSpec

    settings.EMAIL_BACKEND = f"{__name__}.SlowSMTP"
    try:
        for spec in (
            SiteSpec(name="Tỉnh Hoà Bình", level="province", code="17", domain="hb.bench"),
            SiteSpec(
                name="Xã Nhuận Trạch",
                level="commune",
                code="04954",
                parent_code="17",
                domain="nt.hb.bench",
            ),
        ):
            spec.admin_username, spec.admin_password = "quantri", ""
            tenant = provision_site(spec, send_invitation=False).tenant
        build_demo_content(tenant)
        schema = tenant.schema_name
        with schema_context(schema):
            users = {}
            for username, role in (("ctv", COLLABORATOR), ("btv", EDITOR), ("truongban", HEAD)):
                users[username] = get_user_model().objects.create_user(
                    username, password=PASSWORD, email=f"{username}@nt.hb.bench"
                )
                users[username].groups.add(Group.objects.get(name=role))
            # The rest of the board: everyone in the next step's group is e-mailed.
            for number in range(args.reviewers):
                for prefix, role in (("btv", EDITOR), ("truongban", HEAD)):
                    member = get_user_model().objects.create_user(
                        f"{prefix}{number}",
                        password=PASSWORD,
                        email=f"{prefix}{number}@nt.hb.bench",
                    )
                    member.groups.add(Group.objects.get(name=role))
            category = NewsCategoryPage.objects.live().first()
            CategoryAssignment.objects.create(user=users["ctv"], category=category)
            clients = {}
            for username in ("btv", "truongban"):
                clients[username] = Client(HTTP_HOST="nt.hb.bench")
                clients[username].force_login(users[username])
        connection.set_schema_to_public()

        def new_article_in_review(number: int) -> int:
            with schema_context(schema):
                article = ArticlePage(
                    title=f"Bài đo thời gian duyệt số {number}",
                    lead="Sapo.",
                    body=[("paragraph", "<p>Nội dung.</p>")],
                    owner=users["ctv"],
                    live=False,
                )
                category.add_child(instance=article)
                article.save_revision(user=users["ctv"])
                article.get_workflow().start(article, users["ctv"])
                return article.pk

        def footer_form(article_id: int) -> dict:
            """The editor's form as the browser posts it with the footer's "Duyệt" button."""
            with schema_context(schema):
                page = ArticlePage.objects.get(pk=article_id)
                data = nested_form_data(
                    {
                        "title": page.title,
                        "slug": page.slug,
                        "lead": page.lead,
                        "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
                        "gallery_images": inline_formset([]),
                        "related_links": inline_formset([]),
                        "comments": inline_formset([]),
                        "publication_date": "22/11/2026 08:00",
                        "work_kind": "news_item",
                    }
                )
            data["action-workflow-action"] = "true"
            data["workflow-action-name"] = "approve"
            return data

        def approve(article_id: int, username: str, footer: bool = False) -> tuple[float, int]:
            """One approval click, timed; the number of SQL queries it made."""
            with schema_context(schema):
                page = ArticlePage.objects.get(pk=article_id)
                task_state = page.current_workflow_state.current_task_state
                action_url = reverse(
                    "wagtailadmin_pages:workflow_action",
                    args=(article_id, "approve", task_state.pk),
                )
            connection.set_schema_to_public()
            if footer:
                action_url = reverse("wagtailadmin_pages:edit", args=(article_id,))
                data = footer_form(article_id)
                connection.set_schema_to_public()
            else:
                data = {"comment": ""}
            queries = []
            with connection.execute_wrapper(
                lambda run, sql, *a: queries.append(sql) or run(sql, *a)
            ):
                start = time.perf_counter()
                response = clients[username].post(action_url, data)
                elapsed = time.perf_counter() - start
            assert response.status_code in (200, 302), response.status_code
            if footer:
                assert response.status_code == 302, "the editor's form was refused"
            return elapsed, len(queries)

        def inline_notifiers(on: bool) -> None:
            """Wagtail's own synchronous notifiers (before) or the queued ones (as shipped)."""
            from wagtail.admin import signal_handlers as wagtail_handlers

            if on:
                wagtail_handlers.register_signal_handlers()
            else:
                for signal, sender, uid in signal_handlers.WAGTAIL_NOTIFIERS:
                    signal.disconnect(sender=sender, dispatch_uid=uid)

        results = {"as shipped": ([], [], [], []), "inline e-mail": ([], [], [], [])}
        number = 0
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            from portal.celery_app import app

            # The worker is not running here: queued e-mails wait in the broker, as they
            # would while the worker sends them.
            app.conf.task_always_eager = False
            for _round in range(args.runs):
                for kind in results:
                    inline_notifiers(kind == "inline e-mail")
                    number += 1
                    article_id = new_article_in_review(number)
                    review, _q = approve(article_id, "btv")
                    final, queries = approve(article_id, "truongban")
                    results[kind][0].append(review)
                    results[kind][1].append(final)
                    results[kind][2].append(queries)
                    # The same two clicks from the editor's footer (the form is saved too).
                    number += 1
                    article_id = new_article_in_review(number)
                    approve(article_id, "btv", footer=True)
                    footer, _q = approve(article_id, "truongban", footer=True)
                    results[kind][3].append(footer)
            inline_notifiers(False)
            with schema_context(schema):
                published = ArticlePage.objects.filter(title__startswith="Bài đo").live().count()
            assert published == number, (published, number)

            print(
                f"{'configuration':<16} {'review ms':>10} {'final ms':>10} {'SQL final':>10} "
                f"{'footer final ms':>16}"
            )
            medians = {}
            for kind, (review, final, queries, footer) in results.items():
                medians[kind] = statistics.median(final)
                print(
                    f"{kind:<16} {statistics.median(review) * 1000:10.1f} "
                    f"{medians[kind] * 1000:10.1f} {statistics.median(queries):10.0f} "
                    f"{statistics.median(footer) * 1000:16.1f}"
                )
            ratio = medians["inline e-mail"] / medians["as shipped"]
            print(f"final approval, inline e-mail / as shipped: {ratio:.1f}x")

            if args.profile:
                article_id = new_article_in_review(number + 1)
                approve(article_id, "btv", footer=True)
                profiler = cProfile.Profile()
                profiler.enable()
                approve(article_id, "truongban", footer=True)
                profiler.disable()
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
                stats.print_stats(
                    r"(wagtail|component_sites|tasks|tenants|kombu|celery|modelsearch)", 45
                )
                print(out.getvalue())
    finally:
        drop_scratch(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
