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
// Useful: pretrained.getLayer('avgpool').output, tf.layers.dense({ units, name }), layer.apply(x),
// tf.model({ inputs, outputs }), pretrained.layers, layer.trainable = false.
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
  // TODO 1: take the backbone's features and apply a new dense head with `classes` units.
  // TODO 2: build a tf.model from pretrained.inputs to the new head's output.
  // TODO 3: for 'frozen-backbone', make every pretrained layer non-trainable.
  // TODO 4: choose batchNorm for each mode.
  return { model: pretrained, batchNorm: 'training' };
}
