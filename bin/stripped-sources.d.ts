// Types of stripped-sources.js (plain JavaScript, as bin/ must be; see there).
export declare const DEFAULT_CACHE_DIR: string;
export declare function strippedSource(source: string, dir: string): string;
export declare function useStrippedSources(dir?: string): void;
