// Classification exercise: turn a pretrained ResNet-18 into the networks of experiments B and C.
//
// The lab builds torchvision's ResNet-18, loads the ImageNet weights into it (its own 1000-way head `fc`
// included, every layer trainable) and calls prepareForTransfer twice:
//   mode 'frozen-backbone' (experiment B): only a new head may learn; everything pretrained stays fixed.
//   mode 'fine-tune'       (experiment C): a new head, and every layer keeps learning.
// Experiment A never calls this file: it starts from random weights.
//
// Return { model, batchNorm }:
//   model      a tf.LayersModel that takes pretrained.inputs, reuses the pretrained layers up to 'avgpool'
//              (512 features per image) and ends in a NEW dense layer with `classes` units and no
//              activation (the loss applies the softmax itself).
//   batchNorm  'inference' keeps BatchNorm's stored ImageNet statistics fixed while training;
//              'training' normalises with each batch and updates them. Which one belongs with a frozen backbone?
//
// Step 1 is written below so you can see how a head is replaced; steps 2 and 3 are yours. Until they are
// done, experiment C runs and experiment B is refused with a message that says what is missing.
//
// Run "Biomedical Deep Learning Lab: Run Classification": the lab checks what you return before it trains
// and tells you, at this file, what is still missing.
import * as tf from '@tensorflow/tfjs';

export type TransferMode = 'frozen-backbone' | 'fine-tune';

export function prepareForTransfer(
  pretrained: tf.LayersModel,
  classes: number,
  mode: TransferMode,
): { model: tf.LayersModel; batchNorm: 'inference' | 'training' } {
  // 1. A new head, done for you: the 512 features of the global average pool into one unit per class.
  const features = pretrained.getLayer('avgpool').output as tf.SymbolicTensor;
  const head = tf.layers.dense({ units: classes, name: 'head' });
  const model = tf.model({ inputs: pretrained.inputs, outputs: head.apply(features) as tf.SymbolicTensor, name: `resnet18-${mode}` });

  // 2. TODO: what learns. For 'frozen-backbone', set trainable = false on every layer of `pretrained`
  //    (the new head is not one of them). For 'fine-tune', leave everything trainable.

  // 3. TODO: BatchNorm's mode. Which one keeps a frozen backbone truly frozen? Which suits fine-tuning?
  return { model, batchNorm: 'training' };
}
