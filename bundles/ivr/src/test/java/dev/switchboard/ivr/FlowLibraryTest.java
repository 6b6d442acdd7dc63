package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowLibraryTest {

  @TempDir
  Path dir;

  private static final String GOOD = "default: true\nnodes:\n  bye: {type: hangup, say: Goodbye}\n";

  @Test
  void aBrokenEditLeavesTheOldFlowServingUntilTheFileIsFixed() throws Exception {
    Files.writeString(dir.resolve("main.yaml"), GOOD);
    FlowLibrary library = new FlowLibrary(dir);
    assertEquals(1, library.scan().loaded().size());
    Flow first = library.select(List.of(), List.of());
    assertEquals("main", first.name());

    Files.writeString(dir.resolve("main.yaml"), GOOD.replace("hangup", "hangpu"));
    assertTrue(library.scan().isEmpty(), "a changed file is read once it has stopped changing");
    FlowLibrary.Changes broken = library.scan();
    assertTrue(broken.rejected().get("main.yaml").getMessage().startsWith("main.yaml:3:15: node 'bye' has unknown type"),
        broken.toString());
    assertEquals(first, library.select(List.of(), List.of()), "the old flow keeps serving");
    assertTrue(library.describe().getJsonObject(0).getJsonArray("errors").getJsonObject(0).getString("text")
        .startsWith("main.yaml:3:15"));
    assertTrue(library.scan().isEmpty(), "an unchanged broken file is not reported again");

    Files.writeString(dir.resolve("main.yaml"), GOOD.replace("Goodbye", "Bye now"));
    library.scan();
    assertEquals(1, library.scan().loaded().size());
    Flow second = library.select(List.of(), List.of());
    assertTrue(!second.version().equals(first.version()));
    assertNull(library.describe().getJsonObject(0).getJsonArray("errors"));

    Files.delete(dir.resolve("main.yaml"));
    assertEquals(List.of("main.yaml"), library.scan().removed());
    assertNull(library.select(List.of(), List.of()));
  }

  @Test
  void aFileCaughtHalfWrittenIsNotReported() throws Exception {
    Files.writeString(dir.resolve("main.yaml"), GOOD);
    FlowLibrary library = new FlowLibrary(dir);
    Flow first = library.scan().loaded().get(0);
    Files.writeString(dir.resolve("main.yaml"), "");                 // an editor truncated the file...
    assertTrue(library.scan().isEmpty());
    Files.writeString(dir.resolve("main.yaml"), GOOD.replace("Goodbye", "Bye now")); // ...and wrote it out
    assertTrue(library.scan().isEmpty(), "still changing: not read yet, and the empty file was never reported");
    assertEquals(first, library.select(List.of(), List.of()));
    FlowLibrary.Changes changes = library.scan();
    assertEquals(1, changes.loaded().size());
    assertTrue(changes.rejected().isEmpty());
  }

  @Test
  void aMatchingFlowWinsOverTheDefault() throws Exception {
    Files.writeString(dir.resolve("a-main.yaml"), GOOD);
    Files.writeString(dir.resolve("b-support.yaml"), "match: {to: \"+14255550100\"}\nnodes:\n  x: {type: hangup}\n");
    Files.writeString(dir.resolve("notes.txt"), "not a flow");
    FlowLibrary library = new FlowLibrary(dir);
    library.scan();
    assertEquals("b-support", library.select(List.of("+14255550100"), List.of()).name());
    assertEquals("a-main", library.select(List.of("+14255550101"), List.of()).name());
  }
}
