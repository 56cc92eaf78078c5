# The PyTorch reference for scripts/wasm-step: ResNet-18 (torchvision) training step, 28x28x3, batch 128, SGD
# momentum, THREADS threads (default 2). Run with Debian's /usr/bin/python3 (see ../shared/PLATFORM.md).
import os, time, torch, torchvision
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=9)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(128, 3, 28, 28)
y = torch.randint(0, 9, (128,))
loss_fn = torch.nn.CrossEntropyLoss()
times = []
for i in range(int(os.environ.get("STEPS", "5")) + 2):
    t0 = time.perf_counter()
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    if i >= 2:
        times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(f"torch step ms: median {times[len(times)//2]:.0f} all {' '.join(f'{t:.0f}' for t in times)} load {' '.join(f'{l:.2f}' for l in os.getloadavg())}")
