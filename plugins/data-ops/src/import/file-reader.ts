import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** A file that cannot be read as a table: said in one sentence, nothing of it kept. */
export class FileProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le';
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface TableFile {
  format: 'csv' | 'xlsx';
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  headers: string[];
  /** The rows after the header, as text cells, each as long as the header; blank lines skipped. */
  rows: AsyncIterable<string[]>;
}

const SNIFF_BYTES = 64 * 1024;
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * Reads an uploaded table as a stream, never whole: XLSX (first sheet) or CSV in UTF-8 (with or
 * without BOM), UTF-16 (Excel's "Unicode text") or Windows-1252, any of `, ; tab |`, quoted newlines.
 * What it cannot read (binary, ragged rows, an unclosed quote) is a FileProblem naming the line.
 */
export async function readTable(source: Readable, choice: { encoding?: Encoding; delimiter?: Delimiter } = {}): Promise<TableFile> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const start = Buffer.concat(head);
  if (start.length === 0) throw new FileProblem('empty_file', 'The file is empty');
  const whole = Readable.from(
    (async function* () {
      yield start;
      if (!ended) for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  if (ZIP.every((byte, index) => start[index] === byte)) return readWorkbook(whole);
  const encoding = choice.encoding ?? detectEncoding(start);
  const text = decode(whole, encoding);
  const delimiter = choice.delimiter ?? detectDelimiter(firstLine(start, encoding));
  return readCsv(text, encoding, delimiter);
}

function detectEncoding(start: Buffer): Encoding {
  if (start[0] === 0xff && start[1] === 0xfe) return 'utf-16le';
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return 'utf-8';
  // Text files have no NUL byte; spreadsheets other than XLSX (XLS, ODS…) and random bytes do.
  if (start.includes(0)) throw new FileProblem('not_a_table', 'The file is not a CSV or XLSX file (it holds binary data): export it from your spreadsheet as CSV or XLSX');
  try {
    // A sequence cut at the end of the sniffed bytes is fine: `stream` keeps it for later.
    new TextDecoder('utf-8', { fatal: true }).decode(start, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** The text of the file; a UTF-8 file with invalid bytes further on is refused, not mangled. */
function decode(bytes: Readable, encoding: Encoding): Readable {
  if (encoding !== 'utf-8') return bytes.pipe(iconv.decodeStream(encoding, { stripBOM: true })) as unknown as Readable;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0;
  return Readable.from(
    (async function* () {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        try {
          yield decoder.decode(chunk, { stream: true });
        } catch {
          throw new FileProblem('invalid_encoding', `The file is not valid UTF-8 (near byte ${offset}): save it as UTF-8, or say its encoding (windows-1252)`);
        }
        offset += chunk.length;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    })(),
  );
}

function firstLine(start: Buffer, encoding: Encoding): string {
  const text = encoding === 'utf-8' ? start.toString('utf8') : iconv.decode(start, encoding);
  let inQuotes = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') inQuotes = !inQuotes;
    else if ((char === '\n' || char === '\r') && !inQuotes) return text.slice(0, index);
  }
  return text;
}

/** The delimiter that splits the header into the most columns, outside quotes; a comma when none does. */
export function detectDelimiter(header: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let inQuotes = false;
  for (const char of header) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(char as Delimiter)) counts.set(char as Delimiter, counts.get(char as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

async function readCsv(text: Readable, encoding: Encoding, delimiter: Delimiter): Promise<TableFile> {
  // A quote inside an unquoted cell (`15" screen`, `{"a":1}`) is kept as written, as a spreadsheet reads it.
  const parser = text.pipe(parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true }));
  // A decoding failure ends the parser with the decoder's own problem.
  text.on('error', (error) => parser.destroy(error));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const first = await next(records);
  if (!first) throw new FileProblem('empty_file', 'The file has no header line');
  const headers = first.record.map((header) => header.trim());
  if (headers.every((header) => header === '')) throw new FileProblem('no_header', 'The first line of the file is empty: it must name the columns');
  return {
    format: 'csv',
    encoding,
    delimiter,
    headers,
    rows: (async function* () {
      for (let row = await next(records); row; row = await next(records)) {
        const cells = row.record;
        // Cells beyond the header that are all empty are a spreadsheet's trailing separators, not data.
        if (cells.length > headers.length && cells.slice(headers.length).every((cell) => cell.trim() === '')) cells.length = headers.length;
        if (cells.length !== headers.length) {
          if (cells.length === 1 && cells[0]!.trim() === '') continue;
          throw new FileProblem('ragged_row', `Line ${row.info.lines} has ${cells.length} column${cells.length === 1 ? '' : 's'} where the header has ${headers.length}`);
        }
        yield cells;
      }
    })(),
  };
}

async function next<T>(records: AsyncIterator<T>): Promise<T | undefined> {
  try {
    const result = await records.next();
    return result.done ? undefined : result.value;
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    const { code, lines } = error as { code?: string; lines?: number };
    const where = lines ? `Line ${lines}` : 'The file';
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new FileProblem('unclosed_quote', `${where}: a quoted cell is never closed`);
    // Every refusal of the parser is the file's fault, whatever its code (not all start with CSV_).
    if (error instanceof CsvError || code?.startsWith('CSV_')) throw new FileProblem('invalid_csv', `${where}: ${(error as Error).message.replace(/^Invalid [^:]*:\s*/, '')}`);
    throw error;
  }
}

/** A cell of a workbook as the text a person sees: dates as ISO dates, formulas as their results. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

async function readWorkbook(bytes: Readable): Promise<TableFile> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const sheets = reader[Symbol.asyncIterator]();
  let rows: AsyncIterator<ExcelJS.Row> | undefined;
  try {
    const sheet = await sheets.next();
    if (sheet.done) throw new FileProblem('empty_file', 'The workbook has no sheet');
    rows = (sheet.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw new FileProblem('invalid_xlsx', `The file is not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const cells = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
  const first = await rows.next();
  if (first.done) throw new FileProblem('empty_file', 'The first sheet of the workbook is empty');
  const headers = cells(first.value).map((header) => header.trim());
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  if (headers.length === 0) throw new FileProblem('no_header', 'The first row of the sheet is empty: it must name the columns');
  const sheetRows = rows;
  return {
    format: 'xlsx',
    encoding: null,
    delimiter: null,
    headers,
    rows: (async function* () {
      for (let row = await sheetRows.next(); !row.done; row = await sheetRows.next()) {
        const values = cells(row.value);
        if (values.every((value) => value.trim() === '')) continue;
        if (values.slice(headers.length).some((value) => value.trim() !== '')) {
          throw new FileProblem('ragged_row', `Row ${row.value.number} has values beyond the ${headers.length} named columns`);
        }
        yield Array.from({ length: headers.length }, (_, index) => values[index] ?? '');
      }
    })(),
  };
}
