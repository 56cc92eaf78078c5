"""PyTorch reference for the wasm training kernels (test/unit/kernels-pytorch.test.ts).

Builds a small convolutional stack that uses every gradient kernel ResNet-18 and the U-Net need (7x7/2 and 3x3/2
convolutions with padding, 1x1/2 downsample, 3x3/2 max-pool with padding, batch norm in training mode, 2x nearest and
bilinear upsampling, concatenation, 1x1 head, log-softmax), computes the gradients of a fixed scalar loss with respect
to the input and every parameter in float32, and writes inputs, parameters and gradients as JSON in the layouts
TensorFlow.js uses (NHWC activations, HWIO filters).

Bilinear upsampling is TensorFlow.js's (tf.image.resizeBilinear with alignCorners and halfPixelCenters false, as
tf.layers.upSampling2d uses): source = destination * in/out, which no torch mode matches, so it is written out here.

Usage: /usr/bin/python3 scripts/reference/kernels_reference.py OUT_DIR
"""
import json
import os
import sys

import torch
import torch.nn.functional as F


def legacy_bilinear(x, out_h, out_w):
    _, _, in_h, in_w = x.shape

    def axis(in_size, out_size):
        src = torch.arange(out_size, dtype=torch.float32) * (in_size / out_size)
        lo = src.floor().long()
        hi = torch.clamp(lo + 1, max=in_size - 1)
        return lo, hi, src - lo.float()

    y0, y1, wy = axis(in_h, out_h)
    x0, x1, wx = axis(in_w, out_w)
    top = x.index_select(2, y0) * (1 - wy).view(1, 1, -1, 1) + x.index_select(2, y1) * wy.view(1, 1, -1, 1)
    return top.index_select(3, x0) * (1 - wx).view(1, 1, 1, -1) + top.index_select(3, x1) * wx.view(1, 1, 1, -1)


def main(out_dir):
    torch.manual_seed(0)
    x = torch.randn(2, 3, 14, 14, requires_grad=True)
    shapes = {
        'conv_a': (8, 3, 7, 7),
        'conv_b': (16, 8, 3, 3),
        'conv_c': (16, 16, 3, 3),
        'conv_ds': (16, 16, 1, 1),
        'conv_d': (4, 48, 1, 1),
    }
    params = {}
    for name, shape in shapes.items():
        fan_in = shape[1] * shape[2] * shape[3]
        params[name] = (torch.randn(*shape) / fan_in ** 0.5).requires_grad_()
    params['bias_a'] = (0.1 * torch.randn(8)).requires_grad_()
    params['gamma_b'] = (1 + 0.1 * torch.randn(16)).requires_grad_()
    params['beta_b'] = (0.1 * torch.randn(16)).requires_grad_()
    target = torch.randn(2, 4, 4, 4)

    h1 = F.relu(F.conv2d(x, params['conv_a'], params['bias_a'], stride=2, padding=3))
    h2 = F.max_pool2d(h1, 3, stride=2, padding=1)
    h3 = F.conv2d(h2, params['conv_b'], stride=1, padding=1)
    h3 = F.relu(F.batch_norm(h3, None, None, params['gamma_b'], params['beta_b'], training=True, eps=1e-3))
    h4 = F.conv2d(h3, params['conv_c'], stride=2, padding=1)
    shortcut = F.conv2d(h3, params['conv_ds'], stride=2)
    h5 = F.relu(h4 + shortcut)
    nearest = F.interpolate(h5, scale_factor=2, mode='nearest')
    bilinear = legacy_bilinear(h5, 4, 4)
    out = F.conv2d(torch.cat([nearest, bilinear, h3], dim=1), params['conv_d'])
    loss = (F.log_softmax(out, dim=1) * target).sum()

    names = list(params)
    grads = torch.autograd.grad(loss, [x] + [params[n] for n in names])

    def tensor(t, is_filter=False):
        t = t.detach()
        if t.dim() == 4:
            t = t.permute(2, 3, 1, 0) if is_filter else t.permute(0, 2, 3, 1)
        t = t.contiguous()
        return {'shape': list(t.shape), 'data': t.flatten().tolist()}

    result = {
        'x': tensor(x),
        'target': tensor(target),
        'params': {n: tensor(params[n], is_filter=n.startswith('conv')) for n in names},
        'loss': loss.item(),
        'grads': {'x': tensor(grads[0])},
    }
    for n, g in zip(names, grads[1:]):
        result['grads'][n] = tensor(g, is_filter=n.startswith('conv'))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'kernels_reference.json'), 'w') as f:
        json.dump(result, f)
    print(f'loss {loss.item():.6f}; wrote {os.path.join(out_dir, "kernels_reference.json")}')


if __name__ == '__main__':
    main(sys.argv[1])
