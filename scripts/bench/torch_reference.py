#!/usr/bin/env python3
"""The paper's network in PyTorch, timed: the reference `npm run bench` compares against.

The network is smile-lens's (lib/model/paper-net.ts): three blocks of conv 3x3
(stride 2, 'same', no bias) + batch norm + ReLU with 32/64/128 channels,
concat pooling (global max and global average), dense 128 + ReLU, dense 5.
Two workloads, as in lib/bench/workloads.ts:
  train  one training step: batch norm in training mode, NLL of log-softmax,
         Adam at lr 1e-3 (betas 0.9/0.999, eps 1e-8)
  grad   a GradientSHAP-sized gradient batch: inference mode,
         d sum(log-softmax(scores)[:, 0]) / d images

Run with Debian's PyTorch (apt-get install -y python3-torch).

One-shot:   /usr/bin/python3 torch_reference.py --threads 1 --batch 32 --size 128 --steps 10
            prints  torch train_step_ms batch=32 size=128 threads=1 median=...
                    torch grad_batch_ms batch=50 size=128 threads=1 median=...
Served:     /usr/bin/python3 torch_reference.py --threads 1 --serve
            reads one JSON request a line, {"workload": "train", "batch": 32, "size": 128,
            "steps": 5, "warmup": 1}, and answers one JSON line {"times_ms": [...]}; the
            benchmark keeps it running to interleave PyTorch's steps with its own.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn


def block(cin, cout):
    # padding=1 at stride 2 gives 'same''s output size; PyTorch pads both sides
    # where TensorFlow pads one, the same work.
    return [nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class PaperNet(nn.Module):
    def __init__(self, channels=(32, 64, 128), dense=128, classes=5):
        super().__init__()
        layers, cin = [], 3
        for cout in channels:
            layers += block(cin, cout)
            cin = cout
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(2 * cin, dense), nn.ReLU(), nn.Linear(dense, classes))

    def forward(self, x):
        a = self.features(x)
        pooled = torch.cat([a.amax((2, 3)), a.mean((2, 3))], 1)
        return torch.log_softmax(self.head(pooled), 1)


class Workloads:
    """One network and optimiser (global pooling makes it size-agnostic), inputs per shape."""

    def __init__(self, seed=0):
        torch.manual_seed(seed)
        self.model = PaperNet()
        self.optimizer = torch.optim.Adam(self.model.parameters(), 1e-3, betas=(0.9, 0.999), eps=1e-8)
        self.inputs = {}

    def _data(self, kind, batch, size):
        key = (kind, batch, size)
        if key not in self.inputs:
            self.inputs.clear()  # one shape at a time: a 256 px batch of 64 is 50 MB
            x = torch.randn(batch, 3, size, size, requires_grad=(kind == "grad"))
            y = torch.arange(batch) % 5
            self.inputs[key] = (x, y)
        return self.inputs[key]

    def step(self, kind, batch, size):
        x, y = self._data(kind, batch, size)
        if kind == "train":
            self.model.train()
            self.optimizer.zero_grad()
            loss = nn.functional.nll_loss(self.model(x), y)
            loss.backward()
            self.optimizer.step()
        elif kind == "grad":
            self.model.eval()
            out = self.model(x)[:, 0].sum()
            (g,) = torch.autograd.grad(out, x)
        else:
            raise ValueError(f"unknown workload {kind!r} (expected train or grad)")

    def times_ms(self, kind, batch, size, steps, warmup):
        for _ in range(warmup):
            self.step(kind, batch, size)
        times = []
        for _ in range(steps):
            t = time.perf_counter()
            self.step(kind, batch, size)
            times.append((time.perf_counter() - t) * 1000)
        return times


def serve(workloads):
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            times = workloads.times_ms(r["workload"], int(r["batch"]), int(r["size"]), int(r["steps"]), int(r.get("warmup", 1)))
            print(json.dumps({"times_ms": times}), flush=True)
        except Exception as e:  # the benchmark reports it beside the figure
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--serve", action="store_true", help="answer JSON requests on stdin")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--shap-samples", type=int, default=50)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    workloads = Workloads()
    if a.serve:
        serve(workloads)
        return
    ms = statistics.median(workloads.times_ms("train", a.batch, a.size, a.steps, 2))
    print(f"torch train_step_ms batch={a.batch} size={a.size} threads={a.threads} median={ms:.1f}")
    ms = statistics.median(workloads.times_ms("grad", a.shap_samples, a.size, a.steps, 2))
    print(f"torch grad_batch_ms batch={a.shap_samples} size={a.size} threads={a.threads} median={ms:.1f}")


if __name__ == "__main__":
    main()
