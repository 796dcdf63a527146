"""Every answer under /api/v1/ is JSON, failures included (404, 405, 500, 400, 503...).

Django's error pages are HTML (the site's 404 and 500 templates, the hostile-input 400,
the suspended site's 503): a client of the open data gets the same status with a JSON
body ``{"error": "…", "status": N}`` instead.
"""

from __future__ import annotations

from django.http import JsonResponse

PREFIX = "/api/v1/"
MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Không có quyền truy cập.",
    404: "Không tìm thấy.",
    405: "Phương thức không được hỗ trợ; chỉ GET.",
    429: "Quá nhiều yêu cầu; vui lòng thử lại sau.",
    500: "Lỗi máy chủ; vui lòng thử lại sau.",
    503: "Trang tạm ngừng phục vụ; vui lòng thử lại sau.",
}


class OpenDataErrorsMiddleware:
    """Turn a non-JSON error response under ``/api/v1/`` into a JSON one, same status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        message = MESSAGES.get(status) or MESSAGES[500 if status >= 500 else 400]
        replaced = JsonResponse(
            {"error": message, "status": status},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in ("Allow", "Retry-After", "Content-Security-Policy", "Permissions-Policy"):
            if header in response:
                replaced[header] = response[header]
        return replaced
