"""Security and access: CORS for open data, response headers, logins, lockout, two-factor.

Part of the settings shared by every environment (``base`` imports it).
"""

from portal.login_url import login_url
from portal.settings.environment import env

# Open data (/api/v1/): any origin may GET it, without cookies (django-cors-headers).
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
CORS_PREFLIGHT_MAX_AGE = 24 * 3600

# Response headers (portal.csp).  Frames may show players of these video sites (Wagtail's
# embeds of the media library); images may also come from these origins (object storage).
CSP_FRAME_SRC = env.list(
    "CSP_FRAME_SRC",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CSP_EXTRA_IMG_SRC = env.list("CSP_EXTRA_IMG_SRC", default=[])
# Nothing of the platform uses these browser features: no page may ask for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Logins are refused for a while after repeated failures (component_sites.accounts.lockout).
AUTHENTICATION_BACKENDS = ["component_sites.accounts.lockout.LockoutModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "component_sites.accounts.forms.LockoutAwareLoginForm"
# Counted per (account, client address) and per address; a much higher cap per account from
# anywhere only pauses it briefly (logged).  The address is portal.client_ip's.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=100)
LOGIN_ACCOUNT_COOLDOWN_SECONDS = env.int("LOGIN_ACCOUNT_COOLDOWN_SECONDS", default=5 * 60)
# The admin's "forgot password" mails from the worker, in Vietnamese, links on the primary domain.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "component_sites.accounts.forms.SitePasswordResetForm"  # noqa: S105


def _totp_issuer(device):
    """The name authenticator apps show for a site's account: the site's own name."""
    from component_sites.accounts.two_factor import totp_issuer

    return totp_issuer(device)


# Two-factor authentication (django-otp): site admins must, other staff may.  After a wrong
# code the next try waits 1, 2, 4, 8 ... seconds (times the factor); wrong codes also count
# toward the login lockout above.
OTP_TOTP_ISSUER = _totp_issuer
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=1)
OTP_STATIC_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=1)

# The console login on the control domain, the site admin login on a site (portal.login_url).
LOGIN_URL = login_url()
LOGIN_REDIRECT_URL = "console:home"
