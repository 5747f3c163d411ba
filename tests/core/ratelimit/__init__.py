"""Rate limits (one RATE_LIMITS block for the HTML views and the API), their 429
answers and headers, exactness under concurrency, and the log-in lockout
(storyforge/core/ratelimit.py, the throttles in storyforge/core/api.py).

Time is moved with time-machine; nothing sleeps. The views the tests call are
test-only, in `urls.py`, the URLconf of the tests marked `urls`.
"""
