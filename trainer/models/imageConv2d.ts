/**
 * A Conv2D layer for the convolution that reads the network's input image.
 *
 * tfjs-layers runs every Conv2D through `tf.fused.conv2d`, whose gradient is a `customGrad`: it computes the
 * input's gradient and the filter's together, eagerly, even where the input is the image and nothing needs
 * its gradient (tfjs drops it afterwards). This layer runs the plain `tf.conv2d` op instead, the same
 * convolution, whose registered gradient computes each part only when the tape asks for it, so the image's
 * gradient is never computed (ResNet-18's 7×7/2 stem, a Conv2DBackpropInput of 128 × 34 × 34 × 3 per step at
 * batch 128). Everything else is Conv2D's own: weights, names, class name and config, so weight import,
 * checkpoints and serialisation see an ordinary Conv2D.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../backend/tf';

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];
type Conv2D = ReturnType<typeof tf.layers.conv2d>;
type Conv2DClass = new (args: ConvArgs) => Conv2D;

let imageConv2DClass: Conv2DClass | undefined;

/** Channels last, no bias, no activation: the only form the course's networks use, and all `call` handles. */
export function imageConv2d(args: Omit<ConvArgs, 'activation' | 'useBias' | 'dataFormat'>): Conv2D {
  imageConv2DClass ??= defineImageConv2D();
  return new imageConv2DClass({ ...args, useBias: false });
}

function defineImageConv2D(): Conv2DClass {
  // The class itself is not exported, only its factory; the serialisation registry holds it under its name.
  const registered = tf.serialization.SerializationMap.getMap().classNameMap['Conv2D'];
  if (!registered) throw new Error('tfjs-layers did not register Conv2D');
  const Base = registered[0] as unknown as Conv2DClass;
  return class ImageConv2D extends Base {
    override call(inputs: TF.Tensor | TF.Tensor[]): TF.Tensor {
      return tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as TF.Tensor4D;
        // Same arguments as the layer's own conv2dWithBiasActivation (channels last, no bias, linear).
        return tf.conv2d(x, this.kernel.read() as TF.Tensor4D, this.strides as [number, number], this.padding as 'same' | 'valid', 'NHWC', this.dilationRate as [number, number]);
      });
    }
  };
}
