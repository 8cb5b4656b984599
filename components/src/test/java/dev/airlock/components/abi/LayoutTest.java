package dev.airlock.components.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.components.types.WitType;
import dev.airlock.components.types.WitType.Field;
import dev.airlock.components.types.WitType.Prim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sizes, alignments and flattenings worked out by hand from the canonical ABI's rules. */
class LayoutTest {
    final Layout layout = new Layout();

    static WitType.Variant variant(WitType... payloads) {
        List<Field> cases = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            cases.add(new Field("c" + i, payloads[i]));
        }
        return new WitType.Variant(cases);
    }

    @Test
    void recordsPadEachFieldToItsAlignment() {
        WitType.Record r =
                new WitType.Record(
                        List.of(
                                new Field("a", Prim.U8),
                                new Field("b", Prim.U64),
                                new Field("c", Prim.U16),
                                new Field("d", Prim.F32),
                                new Field("e", Prim.STRING)));
        assertThat(layout.size(r)).isEqualTo(32);
        assertThat(layout.align(r)).isEqualTo(8);
        assertThat(layout.flatten(r)).containsExactly("i32", "i64", "i32", "f32", "i32", "i32");
        WitType.Tuple t = new WitType.Tuple(List.of(Prim.U8, Prim.STRING, Prim.F64));
        assertThat(layout.size(t)).isEqualTo(24);
    }

    @Test
    void variantsJoinTheirCasesFlatValues() {
        WitType point =
                new WitType.Record(List.of(new Field("x", Prim.S32), new Field("y", Prim.S32)));
        WitType.Variant shape = variant(Prim.F64, point, null, Prim.STRING);
        assertThat(layout.size(shape)).isEqualTo(16);
        assertThat(layout.align(shape)).isEqualTo(8);
        assertThat(layout.flatten(shape)).containsExactly("i32", "i64", "i32");
        assertThat(layout.flatten(variant(Prim.F32, Prim.U32))).containsExactly("i32", "i32");
        assertThat(layout.flatten(variant(Prim.F32, Prim.U64))).containsExactly("i32", "i64");
        assertThat(layout.flatten(new WitType.Option(Prim.F32))).containsExactly("i32", "f32");
        assertThat(layout.flatten(new WitType.Result(Prim.F64, Prim.U8)))
                .containsExactly("i32", "i64");
        assertThat(layout.flatten(new WitType.Result(null, null))).containsExactly("i32");
        assertThat(layout.size(new WitType.Option(Prim.U32))).isEqualTo(8);
        assertThat(layout.size(new WitType.Result(Prim.U32, Prim.STRING))).isEqualTo(12);
        assertThat(layout.size(new WitType.Option(Prim.U8))).isEqualTo(2);
    }

    @Test
    void discriminantsAndFlagsGrowWithTheirCount() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("n" + i);
        }
        assertThat(layout.size(new WitType.Enum(names))).isEqualTo(2);
        assertThat(layout.size(new WitType.Enum(names.subList(0, 256)))).isEqualTo(1);
        assertThat(layout.size(new WitType.Flags(names.subList(0, 8)))).isEqualTo(1);
        assertThat(layout.size(new WitType.Flags(names.subList(0, 9)))).isEqualTo(2);
        assertThat(layout.size(new WitType.Flags(names.subList(0, 17)))).isEqualTo(4);
        assertThat(layout.size(new WitType.ListOf(Prim.U64))).isEqualTo(8);
        assertThat(layout.align(new WitType.ListOf(Prim.U64))).isEqualTo(4);
        assertThat(layout.size(Prim.CHAR)).isEqualTo(4);
    }

    @Test
    void manyParametersGoThroughMemoryAndLargeResultsToo() {
        List<Field> params = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            params.add(new Field("p" + i, Prim.STRING));
        }
        WitType.Func sixteen = new WitType.Func(params, Prim.STRING);
        assertThat(layout.coreParams(sixteen)).hasSize(16);
        assertThat(layout.coreResults(sixteen)).containsExactly("i32");
        params.add(new Field("x", Prim.U8));
        WitType.Func seventeen = new WitType.Func(params, Prim.U64);
        assertThat(layout.coreParams(seventeen)).containsExactly("i32");
        assertThat(layout.paramsInMemory(seventeen)).isTrue();
        assertThat(layout.coreResults(seventeen)).containsExactly("i64");
    }
}
