package dev.switchboard.platform.deploy;

import java.util.List;

/**
 * Why a bundle is or is not serving ({@code GET /admin/bundles/{name}/diag}).
 *
 * @param bundle the bundle
 * @param resolved whether the framework has resolved it
 * @param missing each mandatory requirement nothing installed provides (empty once resolved)
 * @param message one sentence for a person: no problems, or every problem
 */
public record BundleDiagnosis(BundleView bundle, boolean resolved, List<MissingRequirement> missing, String message) {

  public BundleDiagnosis {
    missing = List.copyOf(missing);
  }
}
