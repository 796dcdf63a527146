"""System check: every figure the criteria can use is computed by a registered function."""

from django.core import checks

from component_sites.core.figures import registered

from .models import Metric


@checks.register()
def figures_registered(app_configs=None, **kwargs):
    """``Metric`` (what scores store) and the registered figures name the same figures."""
    errors = []
    figures = registered()
    for metric in Metric:
        spec = figures.get(metric.value)
        if spec is None:
            errors.append(
                checks.Error(
                    f"Số liệu “{metric.label}” ({metric.value}) không có hàm tính: "
                    "chưa ứng dụng nào đăng ký.",
                    hint="Ứng dụng giữ dữ liệu đăng ký nó trong figures.py "
                    "(component_sites.core.figures.register).",
                    id="scoring.E001",
                )
            )
        elif spec.label != str(metric.label):
            errors.append(
                checks.Error(
                    f"Số liệu {metric.value} được đăng ký với tên “{spec.label}”, "
                    f"khác tên trong tenants.scoring.models.Metric (“{metric.label}”).",
                    id="scoring.E002",
                )
            )
    for key in sorted(set(figures) - set(Metric.values)):
        errors.append(
            checks.Error(
                f"Số liệu “{key}” được đăng ký nhưng không có trong "
                "tenants.scoring.models.Metric: điểm không lưu được.",
                hint="Thêm nó vào Metric (và METRIC_KINDS) hoặc bỏ đăng ký.",
                id="scoring.E003",
            )
        )
    return errors
