// The explainers' public surface, for the CLI and the notebooks.
export { classScoreGradient, classScores, targetOutput } from './gradients';
export type { ScoreGradient, ScoreGradientOptions } from './gradients';
export { neuronImportanceWeights, importanceFromGradients } from './neuron-importance';
export { gradCam, gradCamMaps, defaultGradCamLayer } from './grad-cam';
export type { GradCamMap, GradCamOptions } from './grad-cam';
export { gradientShap, samplesForStandardError, chooseSamples } from './gradient-shap';
export type { GradientShapOptions, GradientShapResult, SampleChoice } from './gradient-shap';
export { blackBaseline, baselinesFor, describeBaseline, chosenBaseline } from './baselines';
export type { ShapBaseline, BaselineOptions } from './baselines';
export { gaussianBlur, gaussianKernel1d } from './gaussian-blur';
export { upsampleBilinear, UPSAMPLE_ALIGNMENTS } from './upsample';
export type { UpsampleAlignment } from './upsample';
export { layerGeometry, halfPixelGeometry } from './receptive-field';
export type { AxisGeometry, MapGeometry } from './receptive-field';
export { gradCamOverlay, shapOverlay, toPng, luma } from './overlay';
export type { RgbImage, GradCamOverlayOptions, ShapOverlayOptions } from './overlay';
export { percentile } from './percentile';
export { layerGraph, LayerGraph } from './layer-graph';
