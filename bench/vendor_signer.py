"""Times CNC-HMAC-SHA256 signing as the vendor's Python SDK does it (written here from SIGNING.md,
standard library only). Prints the signatures per second for a body of the given size: the best of
`rounds` rounds of `count` (default 3), after a warm-up.

    python3 bench/vendor_signer.py <size> <count> [rounds]"""
import hashlib
import hmac
import sys
import time


def sign(method, path, host, body, secret, timestamp):
    canonical = "\n".join([
        method,
        path,
        "",
        f"content-type:application/json\nhost:{host}\n",
        "content-type;host",
        hashlib.sha256(body.encode("utf-8")).hexdigest(),
    ])
    to_sign = f"CNC-HMAC-SHA256\n{timestamp}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


size = int(sys.argv[1])
count = int(sys.argv[2])
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
body = '{"channelName":"' + "x" * max(0, size - 18) + '"}'
for _ in range(1000):
    sign("POST", "/live/channelManage/createChannel", "open.chinanetcenter.com", body, "SK", "1764000000")
best = 0.0
for _ in range(rounds):
    start = time.perf_counter()
    for _ in range(count):
        sign("POST", "/live/channelManage/createChannel", "open.chinanetcenter.com", body, "SK", "1764000000")
    best = max(best, count / (time.perf_counter() - start))
print(int(best))
