package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixTest {

  @Test
  void opsAndWeights_areParsedInOrder_inAnyCase_withSpaces() {
    Mix mix = Mix.parse(" Reveal=90, create = 10 ");
    assertEquals(List.of(new Mix.Entry(Operation.REVEAL, 90), new Mix.Entry(Operation.CREATE, 10)),
        mix.entries());
    assertEquals(100, mix.totalWeight());
    assertEquals("reveal=90,create=10", mix.label());
    assertEquals(List.of(Operation.REVEAL, Operation.CREATE), mix.operations());
  }

  @Test
  void eachDrawMapsToTheOperationWhoseWeightCoversIt() {
    Mix mix = Mix.parse("reveal=90,create=10");
    Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
    for (int draw = 0; draw < mix.totalWeight(); draw++) {
      counts.merge(mix.pick(draw), 1, Integer::sum);
    }
    assertEquals(Map.of(Operation.REVEAL, 90, Operation.CREATE, 10), counts);
    assertThrows(IllegalArgumentException.class, () -> mix.pick(100));
  }

  @Test
  void aSingleOperation_isLabelledByItsName() {
    assertEquals("verify", Mix.of(Operation.VERIFY).label());
    assertEquals("list", Mix.parse("list=3").label());
    assertTrue(Mix.of(Operation.VERIFY).isSingle());
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(delimiter = '|', value = {
    "''                  | empty: give OP=WEIGHT pairs",
    "reveal              | 'reveal' is not OP=WEIGHT",
    "reveal=90,          | '' is not OP=WEIGHT",
    "revael=90           | unknown operation 'revael' (use health, verify, reveal, create, list)",
    "reveal=0            | the weight of reveal ('0') must be a whole number from 1 to 1000000",
    "reveal=-5           | the weight of reveal ('-5') must be a whole number",
    "reveal=x            | the weight of reveal ('x') must be a whole number",
    "reveal=2.5          | the weight of reveal ('2.5') must be a whole number",
    "reveal=1000001      | the weight of reveal ('1000001') must be a whole number",
    "reveal=99999999999  | the weight of reveal ('99999999999') must be a whole number",
    "reveal=1,REVEAL=2   | reveal appears twice"
  })
  void badMixes_areRefusedWithAMessageThatSaysWhatIsWrong(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mix.parse(text));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
