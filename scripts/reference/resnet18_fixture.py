#!/usr/bin/python3
"""Reference logits of a seeded torchvision ResNet-18, for checking the TensorFlow.js port.

Writes into --out:
  weights.safetensors   the state dict, torchvision names and layouts (written by hand: the `safetensors`
                        package is not in Debian)
  input_<S>.npy         a fixed batch, N x S x S x 3 float32, channels last (TensorFlow.js's layout)
  logits_<S>.npy        PyTorch's logits for that batch in eval mode, N x K float32
  fixture.json          the settings and, per input size, the file names and the logits as numbers

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision, python3-numpy).
"""
import argparse
import json
import os
import struct

import numpy as np
import torch
import torchvision

# safetensors dtype names for the torch dtypes a ResNet-18 state dict holds.
SAFETENSORS_DTYPE = {torch.float32: "F32", torch.int64: "I64"}


def randomise_batch_norm(model: torch.nn.Module, generator: torch.Generator) -> None:
    """Default BatchNorm state (gamma 1, beta 0, mean 0, var 1) would make a wrong mapping of the four
    tensors invisible, so every one gets distinct values. The ranges keep activations in a sane range."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
                module.bias.copy_(torch.randn(n, generator=generator) * 0.1)
                module.running_mean.copy_(torch.randn(n, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(n, generator=generator) * 0.5 + 0.75)
                module.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=generator)))


def write_safetensors(path: str, state: "dict[str, torch.Tensor]") -> None:
    """The format: u64 little-endian header length, a JSON header, then the raw little-endian bytes."""
    header: dict = {"__metadata__": {"format": "pt", "source": "scripts/reference/resnet18_fixture.py"}}
    chunks = []
    offset = 0
    for name, tensor in state.items():
        array = tensor.detach().contiguous().cpu().numpy()
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": SAFETENSORS_DTYPE[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # Readers may map the data section directly, so it starts on an 8-byte boundary (spaces are allowed).
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--classes", type=int, default=9)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--sizes", default="28,64", help="comma-separated input sizes (28 exercises odd stage sizes, 64 even ones)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(args.seed + 1)
    model = torchvision.models.resnet18(num_classes=args.classes)
    randomise_batch_norm(model, generator)
    model.eval()
    write_safetensors(os.path.join(args.out, "weights.safetensors"), model.state_dict())

    cases = []
    for size in (int(s) for s in args.sizes.split(",")):
        # Values in [-1, 1]: what the course's normalisation (mean 0.5, std 0.5) produces from [0, 1] pixels.
        x = torch.rand(args.batch, 3, size, size, generator=generator) * 2 - 1
        with torch.no_grad():
            logits = model(x)
        np.save(os.path.join(args.out, f"input_{size}.npy"), x.permute(0, 2, 3, 1).contiguous().numpy().astype("<f4"))
        np.save(os.path.join(args.out, f"logits_{size}.npy"), logits.numpy().astype("<f4"))
        cases.append({"size": size, "input": f"input_{size}.npy", "logits": logits.tolist()})

    with open(os.path.join(args.out, "fixture.json"), "w") as f:
        json.dump(
            {
                "torch": torch.__version__,
                "torchvision": torchvision.__version__,
                "seed": args.seed,
                "classes": args.classes,
                "weights": "weights.safetensors",
                "cases": cases,
            },
            f,
        )


if __name__ == "__main__":
    main()
