import type * as TF from '@tensorflow/tfjs';

/**
 * Which transfer experiment the network is prepared for: B keeps the pretrained backbone fixed and trains
 * only a new head ('frozen-backbone'); C trains every layer, starting from the pretrained values ('fine-tune').
 */
export type TransferMode = 'frozen-backbone' | 'fine-tune';

/**
 * How the BatchNorm layers behave while the network learns. 'inference': normalise with the running mean and
 * variance stored in the pretrained weights and never change them. 'training': normalise with each batch's own
 * statistics and move the running averages towards them. Freezing a layer's weights does not decide this,
 * which is why the public notebook's frozen backbone still drifted.
 */
export type BatchNormMode = 'inference' | 'training';

/** What prepareForTransfer hands back: the network to train and how its BatchNorm layers run. */
export interface TransferNetwork {
  model: TF.LayersModel;
  batchNorm: BatchNormMode;
}

/**
 * What `biomed-lab/classification/transfer.ts` exports. `pretrained` is torchvision's ResNet-18 with the
 * weights file loaded, its own head (`fc`, one unit per ImageNet class) included; every layer is trainable.
 * The result must take the same input, reuse the pretrained backbone's layers and end in a new dense layer
 * with `classes` units and no activation (the loss applies the softmax).
 */
export interface ClassificationExercise {
  prepareForTransfer(pretrained: TF.LayersModel, classes: number, mode: TransferMode): TransferNetwork;
}
