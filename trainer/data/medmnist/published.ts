import { LabError } from '../../core/labError';
import { MEDMNIST, type MedmnistFile, type MedmnistFlag, type MedmnistSize } from './catalog';

/** The catalog's address and MD5 of one published file; the 3D sets have no 128 or 224 version. */
export function publishedFile(flag: MedmnistFlag, size: MedmnistSize): MedmnistFile {
  const file = MEDMNIST[flag].files[size];
  if (!file) throw new LabError('bad-request', `${flag} is not published at ${size}×${size}; choose one of ${Object.keys(MEDMNIST[flag].files).join(', ')}.`);
  return file;
}

/** The name MedMNIST publishes the file under: pathmnist.npz for 28 pixels, pathmnist_64.npz and so on. */
export function medmnistFileName(flag: MedmnistFlag, size: MedmnistSize): string {
  return size === 28 ? `${flag}.npz` : `${flag}_${size}.npz`;
}
