/**
 * A folder from the user, three ways, as one list of files with their paths relative to it: the
 * File System Access API's directory handle (`showDirectoryPicker`, or a dropped folder's
 * `getAsFileSystemHandle()`), a dropped folder's `webkitGetAsEntry()` tree (browsers without
 * that API), and `<input webkitdirectory>`'s FileList (each File's `webkitRelativePath` begins
 * with the folder's own name).
 */

export interface PickedFolder {
  name: string;
  /** Path relative to the folder (`sub-01/anat/sub-01_T1w.nii.gz`) to its file. */
  files: Map<string, File>;
}

export class FolderReadError extends Error {
  override name = 'FolderReadError';
}

/** An `<input webkitdirectory>`'s files (or any files carrying `webkitRelativePath`). */
export function folderFromFileList(list: Iterable<File>): PickedFolder {
  const files = new Map<string, File>();
  let name = '';
  for (const file of list) {
    const rel = file.webkitRelativePath || file.name;
    const parts = rel.split('/');
    if (parts.length > 1) name ||= parts[0]!;
    files.set(parts.length > 1 ? parts.slice(1).join('/') : rel, file);
  }
  if (files.size === 0) throw new FolderReadError('the folder holds no files');
  return { name: name || 'files', files };
}

interface DirectoryHandleLike {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<FileSystemHandle>;
}

/** Every file under a directory handle, walked recursively. */
export async function folderFromHandle(dir: FileSystemDirectoryHandle): Promise<PickedFolder> {
  const files = new Map<string, File>();
  const walk = async (handle: DirectoryHandleLike, prefix: string): Promise<void> => {
    for await (const child of handle.values()) {
      if (child.kind === 'file') files.set(prefix + child.name, await (child as FileSystemFileHandle).getFile());
      else await walk(child as unknown as DirectoryHandleLike, `${prefix}${child.name}/`);
    }
  };
  await walk(dir as unknown as DirectoryHandleLike, '');
  if (files.size === 0) throw new FolderReadError(`${dir.name} holds no files`);
  return { name: dir.name, files };
}

function entries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries gives the entries in batches (100 in Chromium) until an empty one.
  return new Promise((resolve, reject) => {
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

/** Every file under a dropped folder's entry. */
export async function folderFromEntry(root: FileSystemDirectoryEntry): Promise<PickedFolder> {
  const files = new Map<string, File>();
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const child of await entries(dir)) {
      if (child.isFile) {
        const file = await new Promise<File>((resolve, reject) => (child as FileSystemFileEntry).file(resolve, reject));
        files.set(prefix + child.name, file);
      } else if (child.isDirectory) await walk(child as FileSystemDirectoryEntry, `${prefix}${child.name}/`);
    }
  };
  await walk(root, '');
  if (files.size === 0) throw new FolderReadError(`${root.name} holds no files`);
  return { name: root.name, files };
}

/**
 * The folder in a drop, or null when none was dropped. Both handles must be asked for during the
 * drop event itself (the DataTransfer empties after it), so this is called synchronously there.
 */
export function folderFromDrop(data: DataTransfer | null): Promise<PickedFolder> | null {
  const items = data ? Array.from(data.items).filter((i) => i.kind === 'file') : [];
  if (items.length === 0) return null;
  const item = items[0]!;
  const withHandle = item as DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };
  const entry = item.webkitGetAsEntry?.() ?? null;
  if (typeof withHandle.getAsFileSystemHandle === 'function') {
    const handle = withHandle.getAsFileSystemHandle();
    return handle.then((h) => {
      if (h?.kind === 'directory') return folderFromHandle(h as FileSystemDirectoryHandle);
      if (entry?.isDirectory) return folderFromEntry(entry as FileSystemDirectoryEntry);
      throw new FolderReadError(`${h?.name ?? 'what was dropped'} is a file, not a folder: drop a folder`);
    });
  }
  if (entry?.isDirectory) return folderFromEntry(entry as FileSystemDirectoryEntry);
  return Promise.reject(new FolderReadError(`${entry?.name ?? 'what was dropped'} is a file, not a folder: drop a folder`));
}

type DirectoryPicker = (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;

/** `showDirectoryPicker`, where the browser has it. */
export function directoryPicker(): DirectoryPicker | null {
  const w = globalThis as { showDirectoryPicker?: DirectoryPicker };
  return typeof w.showDirectoryPicker === 'function' ? w.showDirectoryPicker.bind(globalThis) : null;
}
