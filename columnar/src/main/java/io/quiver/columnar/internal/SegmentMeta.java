package io.quiver.columnar.internal;

/**
 * What the manifest and the segment's own tail say about one sealed segment file.
 *
 * @param fileName file name inside the store directory
 * @param seq creation sequence number; for equal (series, timestamp) a higher seq wins
 * @param windowStartMs start of the segment's time window (epoch aligned)
 * @param minTs smallest timestamp in the file
 * @param maxTs largest timestamp in the file
 * @param sampleCount samples (deduplicated)
 * @param seriesCount series chunks
 * @param fileBytes size of the file
 */
public record SegmentMeta(
    String fileName,
    long seq,
    long windowStartMs,
    long minTs,
    long maxTs,
    long sampleCount,
    int seriesCount,
    long fileBytes) {

  static final String PREFIX = "seg-";
  static final String SUFFIX = ".qseg";

  static String fileNameFor(long fileNo) {
    return String.format(PREFIX + "%016d" + SUFFIX, fileNo);
  }
}
