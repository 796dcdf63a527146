"""Syndication by hand: fan out, reconcile after an incident, retry failures, show progress."""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from tenants.procedures.models import Procedure, SyndicationReceipt
from tenants.procedures.syndication import current_receipts, fan_out, reconcile, retry_failed


class Command(BaseCommand):
    help = (
        "Gửi danh mục thủ tục xuống các trang: --all (gửi lại toàn bộ phiên bản hiện hành), "
        "--reconcile (rà soát sau sự cố), --retry-failed, --wait (theo dõi tới khi xong)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Fan-out mọi thủ tục")
        parser.add_argument("--reconcile", action="store_true", help="Rà soát biên nhận")
        parser.add_argument("--older-than", type=int, default=300, help="Giây (mặc định 300)")
        parser.add_argument("--retry-failed", action="store_true")
        parser.add_argument("--wait", type=int, default=0, help="Chờ tối đa N giây, in tiến độ")

    def handle(self, *args, **options):
        if options["all"]:
            ids = list(Procedure.objects.values_list("pk", flat=True))
            self.stdout.write(f"Fan-out {len(ids)} thủ tục: {fan_out(ids)} tác vụ.")
        if options["reconcile"]:
            outcome = reconcile(timedelta(seconds=options["older_than"]))
            self.stdout.write(f"Rà soát: {outcome}")
        if options["retry_failed"]:
            self.stdout.write(f"Gửi lại: {retry_failed()} tác vụ.")
        deadline = time.monotonic() + options["wait"]
        while options["wait"]:
            counts = {
                s: current_receipts().filter(status=s).count()
                for s in SyndicationReceipt.Status.values
            }
            self.stdout.write(
                f"đã cập nhật {counts['done']} · đang chờ {counts['pending']} · "
                f"lỗi {counts['failed']}"
            )
            if not counts["pending"] or time.monotonic() > deadline:
                break
            time.sleep(1)
