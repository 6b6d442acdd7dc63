"""Capacity probe for bench/capacity.sh: ramps live calls in the emulator of a running sandbox, keeps each alive
with a tone every few seconds (the default flow's menu: '9' replays it), samples tone -> flow reaction from the
emulator's request journal, and measures the sandbox process (live heap after a full GC by its class histogram,
RSS, CPU) before the calls and at each step. Standard library only; prints one line per step."""
import argparse, heapq, http.client, json, queue, random, re, ssl, subprocess, threading, time

p = argparse.ArgumentParser()
p.add_argument("--emulator-port", type=int, required=True)
p.add_argument("--pid", type=int, required=True, help="the server's process")
p.add_argument("--emulator-pid", type=int, help="the emulator's process, when it runs apart")
p.add_argument("--calls", type=int, default=2000)
p.add_argument("--rate", type=float, default=50, help="new calls per second")
p.add_argument("--step", type=int, default=500, help="measure every this many calls")
p.add_argument("--tone-every", type=float, default=4.0, help="real seconds between a call's tones")
p.add_argument("--workers", type=int, default=8, help="threads (each one keep-alive connection) sending requests")
p.add_argument("--histograms", help="a folder to write the server's whole class histogram at each step to")
p.add_argument("--heap-dump", help="a file to write the server's heap dump (live objects) to at the last step")
p.add_argument("--hold", type=float, default=0, help="after the last step, keep the calls and their tones going this "
               "many seconds and report CPU per tone of the server (and the emulator)")
p.add_argument("--profile", help="with --hold: a JFR file to record the server's profile (settings=profile) to over "
               "the hold")
a = p.parse_args()

ctx = ssl._create_unverified_context()  # loopback, the emulator's self-signed certificate
local = threading.local()


def request(method, path, body=None):
    for attempt in range(2):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPSConnection("127.0.0.1", a.emulator_port, context=ctx, timeout=30)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            local.conn = None
    return 0, b""


def measure(pid=None):
    pid = pid or a.pid
    hist = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    total = int(re.search(r"^Total\s+\d+\s+(\d+)", hist, re.M).group(1))
    top = [l for l in hist.splitlines() if re.match(r"\s*\d+:", l)][:12]
    if a.histograms and pid == a.pid:
        with open(f"{a.histograms}/histogram-{time.strftime('%H%M%S')}.txt", "w") as out:
            out.write(hist)
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / 100.0  # utime + stime, clock ticks of 1/100 s
    return total, rss, cpu, top


live = {}           # call id -> next tone time
tone_queue = []     # heap of (tone time, call id); an entry whose time is no longer live[call id]'s is stale
ended = set()
lock = threading.Lock()
tasks = queue.Queue(maxsize=10000)
placed_failures = [0]
placed_done = [0]
tones_sent = [0]    # tones the emulator accepted (each one a toneReceived notification to the bot)


def schedule(call, at):
    """Called holding the lock."""
    live[call] = at
    heapq.heappush(tone_queue, (at, call))


def worker():
    while True:
        kind, arg = tasks.get()
        if kind == "place":
            status, body = request("POST", "/emulator/calls/incoming", {"from": "+1425555%04d" % random.randrange(10000)})
            with lock:
                if status == 201:
                    schedule(json.loads(body)["id"], time.time() + a.tone_every * random.random())
                else:
                    placed_failures[0] += 1
                placed_done[0] += 1
        elif kind == "tone":
            status, _ = request("POST", f"/emulator/calls/{arg}/tones", {"tones": "9"})
            if 200 <= status < 300:
                with lock:
                    tones_sent[0] += 1
            if status == 404:
                with lock:
                    live.pop(arg, None)
                    ended.add(arg)
        tasks.task_done()


def last_sequence():
    status, body = request("GET", "/emulator/requests?since=%d" % (2 ** 62))
    return max([e["sequence"] for e in json.loads(body)["value"]], default=0) if status == 200 else 0


reactions = []


def sampler():
    """Every ~2 s: one live call gets its tone from here; its reaction is its next POST in the journal."""
    seq = 0
    while True:
        time.sleep(2)
        with lock:
            ids = list(live)
        if not ids:
            continue
        call = random.choice(ids)
        status, body = request("GET", "/emulator/requests?since=%d" % seq)
        if status == 200:
            seq = max([e["sequence"] for e in json.loads(body)["value"]], default=seq)
        sent = time.time()
        with lock:
            schedule(call, sent + a.tone_every)  # the sampler's tone is this call's tone
        request("POST", f"/emulator/calls/{call}/tones", {"tones": "9"})
        deadline = sent + 30
        found = None
        while found is None and time.time() < deadline:
            time.sleep(0.05)
            status, body = request("GET", "/emulator/requests?since=%d" % seq)
            if status != 200:
                continue
            for e in json.loads(body)["value"]:
                seq = max(seq, e["sequence"])
                if e["method"] == "POST" and call in e["path"] and not e["path"].endswith("/tones"):
                    t = e["time"]
                    whole, frac = t.rstrip("Z").split(".")
                    ts = time.mktime(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) - time.timezone + float("0." + frac)
                    found = ts - sent
                    break
        reactions.append(found)


def toner():
    while True:
        now = time.time()
        ready = []
        with lock:
            while tone_queue and tone_queue[0][0] <= now:
                at, c = heapq.heappop(tone_queue)
                if live.get(c) == at:
                    schedule(c, now + a.tone_every)
                    ready.append(c)
        for c in ready:
            tasks.put(("tone", c))
        time.sleep(0.05)


def p99(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))] * 1000 if xs else float("nan")


for _ in range(a.workers):
    threading.Thread(target=worker, daemon=True).start()
heap0, rss0, cpu0, top0 = measure()
print(f"before calls: live heap after full GC {heap0 / 1048576:.1f} MiB, RSS {rss0} MiB", flush=True)
if a.emulator_pid:
    emu0 = measure(a.emulator_pid)
    print(f"emulator before calls: live heap after full GC {emu0[0] / 1048576:.1f} MiB, RSS {emu0[1]} MiB", flush=True)
threading.Thread(target=toner, daemon=True).start()
threading.Thread(target=sampler, daemon=True).start()
start = time.time()
placed = 0
cpu_prev, t_prev, callsec = cpu0, start, 0.0
heap_prev, n_prev = heap0, 0
while placed < a.calls:
    target_end = min(a.calls, placed + a.step)
    while placed < target_end:
        wait = start + placed / a.rate - time.time()
        if wait > 0:
            time.sleep(wait)
        tasks.put(("place", None))
        placed += 1
    while placed_done[0] < placed:  # not tasks.join(): with thousands of calls, tones never leave the queue empty
        time.sleep(0.1)
    time.sleep(a.tone_every)  # every call has had a tone and its reaction since the last step
    with lock:
        n = len(live)
    heap, rss, cpu, top = measure()
    now = time.time()
    callsec += n * (now - t_prev)
    per_call = (heap - heap0) / max(n, 1) / 1024
    # The step's own figure leaves out what grows once and stops (pools, caches, lazily loaded classes).
    marginal = (heap - heap_prev) / (n - n_prev) / 1024 if n > n_prev else float("nan")
    recent = reactions[-20:]
    print(f"placed {placed} (failed {placed_failures[0]}), live {n}, ended {len(ended)}: heap {heap / 1048576:.1f} MiB"
          f" ({per_call:.1f} KiB per live call over the baseline, {marginal:.1f} KiB per call added since the last"
          f" step), RSS {rss} MiB, CPU {cpu - cpu0:.1f} s"
          f" ({(cpu - cpu_prev) / max(n * (now - t_prev), 1e-9) * 1000:.2f} ms per call-second in this step),"
          f" tone->reaction p99 {p99(recent):.0f} ms over {len([r for r in recent if r is not None])} samples"
          f" ({sum(r is None for r in recent)} without reaction in 30 s), load {open('/proc/loadavg').read().split()[0]}",
          flush=True)
    if a.emulator_pid:
        emu = measure(a.emulator_pid)
        print(f"  emulator: heap {emu[0] / 1048576:.1f} MiB ({(emu[0] - emu0[0]) / max(n, 1) / 1024:.1f} KiB per live"
              f" call), RSS {emu[1]} MiB, CPU {emu[2] - emu0[2]:.1f} s", flush=True)
    cpu_prev, t_prev = cpu, now
    heap_prev, n_prev = heap, n
if a.hold > 0:
    # Steady state: the calls stay, each gets its tone every --tone-every s. CPU per tone is the process's CPU over the
    # window divided by the tones sent in it: it also carries what runs without tones (keepAlives, timers, GC), which
    # the baseline step before any call shows to be small.
    if a.profile:
        subprocess.run(["jcmd", str(a.pid), "JFR.start", "settings=profile", "name=hold", f"filename={a.profile}"],
                       capture_output=True, text=True, check=True)
    cpu_h0, tones0, t0 = measure()[2], tones_sent[0], time.time()
    emu_h0 = measure(a.emulator_pid)[2] if a.emulator_pid else None
    reactions_before = len(reactions)
    time.sleep(a.hold)
    cpu_h1, tones1, t1 = measure()[2], tones_sent[0], time.time()
    if a.profile:
        subprocess.run(["jcmd", str(a.pid), "JFR.stop", "name=hold"], capture_output=True, text=True, check=True)
    tones = max(tones1 - tones0, 1)
    with lock:
        n = len(live)
    line = (f"hold {t1 - t0:.0f} s with {n} live calls: {tones} tones ({tones / (t1 - t0):.0f}/s); server CPU "
            f"{cpu_h1 - cpu_h0:.1f} s = {(cpu_h1 - cpu_h0) / tones * 1000:.2f} ms per tone"
            f" ({(cpu_h1 - cpu_h0) / (t1 - t0):.2f} cores)")
    if a.emulator_pid:
        emu_h1 = measure(a.emulator_pid)[2]
        line += f"; emulator CPU {(emu_h1 - emu_h0) / tones * 1000:.2f} ms per tone ({(emu_h1 - emu_h0) / (t1 - t0):.2f} cores)"
    held = reactions[reactions_before:]
    line += (f"; tone->reaction p99 {p99(held):.0f} ms over {len([r for r in held if r is not None])} samples;"
             f" load {open('/proc/loadavg').read().split()[0]}")
    print(line + (f"; profile {a.profile}" if a.profile else ""), flush=True)
if a.heap_dump:
    subprocess.run(["jcmd", str(a.pid), "GC.heap_dump", a.heap_dump], capture_output=True, text=True, check=True)
    print(f"server heap dump (live objects): {a.heap_dump}", flush=True)
print("largest classes at the last step (live objects after a full GC):")
print("\n".join(top))
print("same at the start:")
print("\n".join(top0))
