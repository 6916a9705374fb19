package dev.coffer.server.backup;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.coffer.server.store.records.pb.BackupFileRec;
import dev.coffer.server.store.records.pb.BackupManifestRec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A backup's {@code manifest.json}: when it was taken, the {@link VaultCensus} of its
 * database, and the size and SHA-256 of every database file, so a restore detects a
 * damaged or incomplete copy before trusting it. Holds no key material and no values.
 */
public record BackupManifest(Instant createTime, VaultCensus census, List<FileEntry> files) {

  static final String FILE_NAME = "manifest.json";
  static final String DB_DIR = "db";
  static final int FORMAT = 1;

  /** One database file: its name in {@code db/}, size and hex SHA-256. */
  public record FileEntry(String name, long size, String sha256) {}

  /** Lists and hashes every regular file in {@code dbDir}, in name order. */
  static List<FileEntry> hashFiles(Path dbDir) throws IOException {
    List<FileEntry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dbDir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        entries.add(new FileEntry(f.getFileName().toString(), Files.size(f), sha256(f)));
      }
    }
    return entries;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Writes {@code manifest.json} into {@code backupDir} atomically (temp file, then move). */
  void write(Path backupDir) throws IOException {
    BackupManifestRec.Builder b = BackupManifestRec.newBuilder().setFormat(FORMAT)
        .setCreateTimeMillis(createTime.toEpochMilli())
        .setAuditSequence(census.auditSequence()).setAuditHeadHash(census.auditHeadHash())
        .setSecrets(census.secrets()).setVaultedSecrets(census.vaultedSecrets())
        .setDataKeys(census.dataKeys());
    for (FileEntry f : files) {
      b.addFiles(BackupFileRec.newBuilder().setName(f.name()).setSize(f.size())
          .setSha256(f.sha256()));
    }
    Path temp = backupDir.resolve(FILE_NAME + ".tmp");
    Files.writeString(temp, JsonFormat.printer().print(b), StandardCharsets.UTF_8);
    Files.move(temp, backupDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads {@code backupDir/manifest.json}.
   *
   * @throws IOException if it is missing or not a manifest of a known format
   */
  static BackupManifest read(Path backupDir) throws IOException {
    Path file = backupDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no " + FILE_NAME + " in " + backupDir + ": not a Coffer backup,"
          + " or one whose writing did not finish");
    }
    BackupManifestRec.Builder b = BackupManifestRec.newBuilder();
    try {
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), b);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(FILE_NAME + " is not valid", e);
    }
    if (b.getFormat() != FORMAT) {
      throw new IOException(FILE_NAME + " has unknown format " + b.getFormat());
    }
    List<FileEntry> files = b.getFilesList().stream()
        .map(f -> new FileEntry(f.getName(), f.getSize(), f.getSha256())).toList();
    return new BackupManifest(Instant.ofEpochMilli(b.getCreateTimeMillis()),
        new VaultCensus(b.getSecrets(), b.getVaultedSecrets(), b.getDataKeys(),
            b.getAuditSequence(), b.getAuditHeadHash()), files);
  }
}
