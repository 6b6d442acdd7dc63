package dev.switchboard.launcher;

import java.io.PrintWriter;
import java.util.List;

/** Rows printed as left-aligned columns, two spaces apart, for the admin commands' listings. */
final class Table {

  private Table() {
  }

  /** Prints {@code rows} (the first is the header); a {@code null} cell prints as {@code -}. */
  static void print(PrintWriter out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i] == null ? 1 : r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = r[i] == null ? "-" : r[i];
        line.append(i == columns - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
