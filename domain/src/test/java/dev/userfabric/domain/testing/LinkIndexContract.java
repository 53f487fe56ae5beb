package dev.userfabric.domain.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.userfabric.domain.model.Identity;
import dev.userfabric.domain.model.UserId;
import dev.userfabric.domain.port.out.LinkIndex;
import dev.userfabric.domain.port.out.LinkIndex.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link LinkIndex} must do; implementations' tests supply the instance. */
public abstract class LinkIndexContract {

  protected abstract LinkIndex index();

  private static String freshEmail() {
    return "ada-" + UUID.randomUUID() + "@example.test";
  }

  private static UserId someone() {
    return UserId.of(new Identity("https://idp.example.test", "user-" + UUID.randomUUID()));
  }

  @Test
  public void theFirstClaimHoldsTheEmailAndTheNextSeesItPending() {
    String email = freshEmail();
    UserId first = someone();

    assertInstanceOf(Claim.Claimed.class, index().claim("corporate", email, first));
    assertEquals(new Claim.Pending(first), index().claim("corporate", email, someone()));
    assertEquals(new Claim.Pending(first), index().claim("corporate", email, first));
  }

  @Test
  public void aStoredUserIsListedAndEndsItsOwnClaim() {
    String email = freshEmail();
    UserId first = someone();
    index().claim("corporate", email, first);

    index().index("corporate", email, first);

    assertEquals(new Claim.Owners(List.of(first)), index().claim("corporate", email, someone()));
  }

  @Test
  public void listingsAreByGroupAndEmail() {
    String email = freshEmail();
    index().index("corporate", email, someone());

    assertInstanceOf(Claim.Claimed.class, index().claim("partners", email, someone()));
    assertInstanceOf(Claim.Claimed.class, index().claim("corporate", freshEmail(), someone()));
  }

  @Test
  public void everyListedUserIsAnsweredAndAnUnlistedOneIsGone() {
    String email = freshEmail();
    UserId one = someone();
    UserId two = someone();
    index().index("corporate", email, one);
    index().index("corporate", email, two);
    index().index("corporate", email, two);

    Claim both = index().claim("corporate", email, someone());
    assertEquals(Set.of(one, two), Set.copyOf(((Claim.Owners) both).users()));

    index().unindex("corporate", email, one);
    assertEquals(new Claim.Owners(List.of(two)), index().claim("corporate", email, someone()));
    index().unindex("corporate", email, two);
    assertInstanceOf(Claim.Claimed.class, index().claim("corporate", email, someone()));
  }

  @Test
  public void ofManyConcurrentClaimsExactlyOneHoldsTheEmail() throws Exception {
    String email = freshEmail();
    List<Callable<Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      claims.add(() -> index().claim("corporate", email, someone()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      long claimed = 0;
      for (Future<Claim> answer : pool.invokeAll(claims)) {
        if (answer.get() instanceof Claim.Claimed) {
          claimed++;
        }
      }
      assertEquals(1, claimed);
    } finally {
      pool.shutdownNow();
    }
  }
}
