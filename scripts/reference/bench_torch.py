#!/usr/bin/python3
"""PyTorch side of `biomed-lab bench`: times one training step of a case on the CPU and prints one JSON line
  {"ms_per_step": median, "step_ms": [...], "cpu_ms_per_step": median, "peak_rss_mb": ..., "threads": ..., "torch": version}

The case arrives as the same spec the TensorFlow.js side uses (trainer/bench/cases.ts): ResNet-18 in torchvision's
structure with SGD momentum 0.9 and cross-entropy, or the U-Net of unet_reference.py with Adam and the pixel-wise
cross-entropy on its softmax output. Inputs are random: timing does not depend on the values.
The caller runs one process per case, so peak RSS belongs to that case alone.

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def build(args: argparse.Namespace):
    if args.model == "resnet18":
        import torchvision

        model = torchvision.models.resnet18(num_classes=args.classes)
        if args.channels != 3:
            model.conv1 = torch.nn.Conv2d(args.channels, 64, 7, 2, 3, bias=False)
        x = torch.randn(args.batch, args.channels, args.size, args.size)
        y = torch.randint(0, args.classes, (args.batch,))
        return model, x, lambda out: F.cross_entropy(out, y)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from unet_reference import UNet, pixel_cross_entropy

    model = UNet(args.channels, args.classes, args.base)
    x = torch.randn(args.batch, args.channels, args.size, args.size)
    y = torch.randint(0, args.classes, (args.batch, args.size, args.size))
    return model, x, lambda out: pixel_cross_entropy(out, y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["resnet18", "unet"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--base", type=int, default=32)
    parser.add_argument("--optimizer", choices=["sgd-momentum", "adam"], required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model, x, loss_of = build(args)
    model.train()
    params = list(model.parameters())
    optimizer = (torch.optim.Adam(params, lr=args.lr) if args.optimizer == "adam"
                 else torch.optim.SGD(params, lr=args.lr, momentum=0.9))

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of(model(x))
        loss.backward()
        optimizer.step()
        loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    cpu_times = []
    for _ in range(args.steps):
        cpu = time.process_time()
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
        # All threads of the process, like Node's process.cpuUsage(): less stretched by a busy machine than wall time.
        cpu_times.append((time.process_time() - cpu) * 1000)
    print(json.dumps({
        "ms_per_step": statistics.median(times),
        "step_ms": times,
        "cpu_ms_per_step": statistics.median(cpu_times),
        # ru_maxrss is in kilobytes on Linux.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
