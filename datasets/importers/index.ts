export { importSource, formatImportReport, type ImportOptions, type ImportReport, type ProgressCallback } from './import-source.js';
export { importKittiRaw, importKittiOdometry, importImageFolder, importVideo } from './importers.js';
