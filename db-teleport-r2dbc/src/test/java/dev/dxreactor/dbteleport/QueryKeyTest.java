package dev.dxreactor.dbteleport;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys are equal when their ids and parameters are, whatever list the parameters come in. */
class QueryKeyTest {

    @Property(tries = 200)
    void keysOfTheSameParametersAreEqualWhateverListHoldsThem(@ForAll @Size(max = 4) List<Integer> params,
                                                              @ForAll int other) {
        List<List<Object>> holders = List.of(new ArrayList<>(params), new LinkedList<>(params),
                Arrays.asList(params.toArray()), List.<Object>copyOf(params));
        for (List<Object> a : holders) {
            for (List<Object> b : holders) {
                QueryKey x = new QueryKey("q", a);
                QueryKey y = new QueryKey("q", b);
                assertThat(x).isEqualTo(y);
                assertThat(x.hashCode()).isEqualTo(y.hashCode());
                assertThat(x).isNotEqualTo(new QueryKey("r", b));
                List<Object> longer = new ArrayList<>(b);
                longer.add(other);
                assertThat(x).isNotEqualTo(new QueryKey("q", longer));
                if (!b.isEmpty()) {
                    List<Object> changed = new LinkedList<>(b);
                    changed.set(0, (Integer) b.getFirst() + 1);
                    assertThat(x).isNotEqualTo(new QueryKey("q", changed));
                    assertThat(new QueryKey("q", List.copyOf(changed))).isNotEqualTo(y);
                }
            }
        }
    }
}
