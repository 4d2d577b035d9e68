"""Each caller (a token's user, or a signed-in browser's user) makes at most `settings.API_THROTTLE_RATE`
requests ("600/hour" unless the environment says otherwise); the next ones get 429 with Retry-After."""
from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class TokenRateThrottle(UserRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request (not frozen at import), so that a test or the environment can change it.
        return settings.API_THROTTLE_RATE
