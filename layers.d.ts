// Types of layers.js (plain JavaScript so that eslint.config.js can read it too).
export interface Layer {
  readonly name: string;
  readonly folders: readonly string[];
}
export declare const LAYERS: readonly Layer[];
export declare const FOUNDATION_FILES: readonly string[];
export declare const SIMULATORS: string;
export declare const SIMULATOR_MAX_LAYER: number;
export declare const SIMULATOR_USERS: readonly string[];
export declare const COMPOSITION_LAYER: number;
export declare function layerOf(folder: string): number | undefined;
