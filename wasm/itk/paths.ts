/** The folder under the site's asset root that holds the staged itk-wasm pipelines, `itk/<package>/`. */
export const ITK_DIR = 'itk';
