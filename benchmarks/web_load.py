"""Load test of the web API: N concurrent ``POST /api/separate`` against the app served by
waitress on 127.0.0.1; checks every answer is a 200 WAV of the right length and none is lost,
then prints p50/p95 latency.

    python benchmarks/web_load.py                          # untrained configs/tiny.yaml
    python benchmarks/web_load.py --checkpoint CKPT        # a trained separator
    python benchmarks/web_load.py --requests 20 --audio-seconds 10 --server-threads 4

Record the printed line in docs/BENCHMARKS.md with the machine.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from querysep.separator import Separator
from querysep.web.app import create_app
from querysep.web.server import running_server

HOST = "127.0.0.1"  # never anything else
MAX_REQUESTS = 200
SAMPLE_RATE = 16000


def mixture_wav(seconds: float) -> bytes:
    """A tone plus noise bursts, as 16-bit WAV bytes."""
    rng = np.random.default_rng(0)
    time_axis = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    waveform = 0.3 * np.sin(2 * np.pi * 440 * time_axis) + 0.1 * rng.standard_normal(time_axis.size)
    buffer = io.BytesIO()
    sf.write(buffer, waveform.astype(np.float32), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def multipart(fields: dict[str, str], audio: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="audio"; filename="mix.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + audio
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def one_request(
    url: str, body: bytes, content_type: str, start: threading.Barrier, timeout_seconds: float
) -> tuple[float, int, int]:
    """(latency seconds, HTTP status, samples in the answer) for one POST."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    start.wait()
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
        data = response.read()
        status = response.status
    latency = time.perf_counter() - began
    return latency, status, sf.info(io.BytesIO(data)).frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("configs/tiny.yaml"))
    parser.add_argument("--checkpoint", type=Path, help="a trained separator instead of --config")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--audio-seconds", type=float, default=10.0)
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--torch-threads", type=int, default=2)
    parser.add_argument("--timeout-seconds", type=float, default=600.0, help="for the whole run")
    args = parser.parse_args()
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be in 1..{MAX_REQUESTS}")
    torch.set_num_threads(args.torch_threads)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queueing is the point here

    separator = (
        Separator.load(args.checkpoint) if args.checkpoint else Separator.from_config(args.config)
    )
    app = create_app(separator, max_seconds=max(60.0, args.audio_seconds))
    body, content_type = multipart({"query": "a tone ringing"}, mixture_wav(args.audio_seconds))
    expected_samples = int(args.audio_seconds * SAMPLE_RATE)
    start = threading.Barrier(args.requests)

    with (
        running_server(app, HOST, threads=args.server_threads) as url,
        ThreadPoolExecutor(max_workers=args.requests) as pool,
    ):
        began = time.perf_counter()
        futures = [
            pool.submit(
                one_request, f"{url}/api/separate", body, content_type, start, args.timeout_seconds
            )
            for _ in range(args.requests)
        ]
        done, _ = wait(futures, timeout=args.timeout_seconds)
        wall_seconds = time.perf_counter() - began
    answers = [future.result() for future in done if future.exception() is None]
    failures = [future.exception() for future in done if future.exception() is not None]
    latencies = np.array([latency for latency, _, _ in answers] or [np.nan])
    ok = sum(status == 200 and frames == expected_samples for _, status, frames in answers)
    lost = args.requests - len(answers)

    model = str(args.checkpoint or args.config)
    print(
        f"web_load | {model} | {args.requests} concurrent x {args.audio_seconds:g} s audio | "
        f"{ok}/{args.requests} OK (200 + right length), {lost} lost | "
        f"p50 {np.percentile(latencies, 50):.2f} s, p95 {np.percentile(latencies, 95):.2f} s, "
        f"max {latencies.max():.2f} s | wall {wall_seconds:.2f} s, "
        f"{args.requests * args.audio_seconds / wall_seconds:.1f} audio-s/s | "
        f"waitress {args.server_threads} threads, torch {args.torch_threads} threads | "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    )
    for failure in failures[:3]:
        print(f"  failure: {failure!r}")
    if ok != args.requests:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
