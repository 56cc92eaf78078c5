#!/usr/bin/python3
"""The course's U-Net in PyTorch, with the same modules and names as trainer/models/unet.ts, and a fixture writer
for test/unit/models-unet.test.ts.

Structure (base b filters; the course uses levels 64-128-256-512, the lab's default base is 32):
  enc1..enc3   two 3x3 convolutions (no bias) each followed by batch norm and ReLU; 2x2 max-pool after each
  bottleneck   the same double convolution at 8b filters
  dec3..dec1   2x nearest upsampling, concatenation with the encoder output of that level, double convolution
  head         1x1 convolution to the classes, then a softmax over the class axis

Upsampling is nearest, as in the course's notebook: at a factor of 2 PyTorch and TensorFlow.js pick the same source
pixel, whereas their bilinear modes sample different points and would not exchange weights exactly.

Fixture mode (--out DIR) seeds a model, randomises batch-norm parameters, runs one forward pass in training mode
(batch statistics, as in a training step) on a fixed batch, and writes into DIR:
  weights.safetensors   the state dict in PyTorch layout (the trainer's importer permutes to tfjs layout)
  grads.safetensors     d(loss)/d(parameter) for every parameter, same names and layout
  input.npy             N x H x W x 3 float32, channels last
  target.npy            N x H x W int64 class indices
  probs.npy             the softmax output, N x H x W x K float32, channels last
  fixture.json          settings and the loss

Run with Debian's /usr/bin/python3 (python3-torch, python3-numpy).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


class DoubleConv(nn.Sequential):
    """conv3x3 -> BN -> ReLU, twice. Names conv1/bn1/relu1/conv2/bn2/relu2 are the tfjs layer names' suffixes."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU(inplace=True)


class UNet(nn.Module):
    def __init__(self, channels: int = 3, classes: int = 4, base: int = 32):
        super().__init__()
        self.enc1 = DoubleConv(channels, base)
        self.enc2 = DoubleConv(base, base * 2)
        self.enc3 = DoubleConv(base * 2, base * 4)
        self.bottleneck = DoubleConv(base * 4, base * 8)
        # Each decoder level sees the upsampled deeper features concatenated with the encoder's (upsampled first).
        self.dec3 = DoubleConv(base * 8 + base * 4, base * 4)
        self.dec2 = DoubleConv(base * 4 + base * 2, base * 2)
        self.dec1 = DoubleConv(base * 2 + base, base)
        self.head = nn.Conv2d(base, classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.softmax(self.logits(x), dim=1)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        b = self.bottleneck(F.max_pool2d(e3, 2))
        d3 = self.dec3(torch.cat([F.interpolate(b, scale_factor=2, mode="nearest"), e3], dim=1))
        d2 = self.dec2(torch.cat([F.interpolate(d3, scale_factor=2, mode="nearest"), e2], dim=1))
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], dim=1))
        return self.head(d1)


def pixel_cross_entropy(probs: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over pixels of -log p(true class), from probabilities as the model outputs them; the tfjs side clips
    at 1e-7 the same way, which never binds for an untrained network."""
    return F.nll_loss(torch.log(probs.clamp(min=1e-7)), target)


def write_safetensors(path: str, tensors: "dict[str, torch.Tensor]") -> None:
    """u64 little-endian header length, a JSON header, the raw little-endian bytes (the package is not in Debian)."""
    header: dict = {"__metadata__": {"format": "pt", "source": "scripts/reference/unet_reference.py"}}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def randomise_batch_norm(model: nn.Module, generator: torch.Generator) -> None:
    """gamma 1 / beta 0 would hide a swapped mapping; running statistics are not used in training mode but are
    still exchanged, so they get distinct values too."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
                module.bias.copy_(torch.randn(n, generator=generator) * 0.1)
                module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)


def write_fixture(args: argparse.Namespace) -> None:
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(args.seed + 1)
    model = UNet(3, args.classes, args.base)
    randomise_batch_norm(model, generator)
    # Exported before the forward pass: training mode updates the running statistics.
    state = {k: v.clone() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    write_safetensors(os.path.join(args.out, "weights.safetensors"), state)

    model.train()
    x = torch.rand(args.batch, 3, args.size, args.size, generator=generator) * 2 - 1
    target = torch.randint(0, args.classes, (args.batch, args.size, args.size), generator=generator)
    probs = model(x)
    loss = pixel_cross_entropy(probs, target)
    names = [name for name, _ in model.named_parameters()]
    grads = torch.autograd.grad(loss, [p for _, p in model.named_parameters()])
    write_safetensors(os.path.join(args.out, "grads.safetensors"), dict(zip(names, grads)))

    np.save(os.path.join(args.out, "input.npy"), x.permute(0, 2, 3, 1).contiguous().numpy().astype("<f4"))
    np.save(os.path.join(args.out, "target.npy"), target.numpy().astype("<i8"))
    np.save(os.path.join(args.out, "probs.npy"), probs.detach().permute(0, 2, 3, 1).contiguous().numpy().astype("<f4"))
    with open(os.path.join(args.out, "fixture.json"), "w") as f:
        json.dump({"torch": torch.__version__, "seed": args.seed, "base": args.base, "classes": args.classes,
                   "size": args.size, "batch": args.batch, "loss": loss.item()}, f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="write a fixture into this folder")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--base", type=int, default=32)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=2)
    args = parser.parse_args()
    if not args.out:
        parser.print_help()
        sys.exit(2)
    write_fixture(args)


if __name__ == "__main__":
    main()
