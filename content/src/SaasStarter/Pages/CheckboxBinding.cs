using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace SaasStarter.Pages;

/// <summary>
/// Binds a bool the way a checkbox sends one. A value that is not a bool ("abc") stays a model error, but its text is
/// dropped from the model state: re-rendering the form, the checkbox tag helper converted that text to a bool and threw a
/// FormatException (a 500). The box shows unticked, and the error says what to do.
/// </summary>
internal sealed class CheckboxBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool)
            ? new CheckboxBinder(new SimpleTypeModelBinder(context.Metadata.ModelType, context.Services.GetRequiredService<ILoggerFactory>()))
            : null;

    private sealed class CheckboxBinder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext context)
        {
            await inner.BindModelAsync(context);
            if (context.Result.IsModelSet || !context.ModelState.TryGetValue(context.ModelName, out var entry) || entry.Errors.Count == 0) return;
            context.ModelState.Remove(context.ModelName);
            context.ModelState.AddModelError(context.ModelName, $"{context.ModelMetadata.GetDisplayName()}: tick the box or leave it empty.");
        }
    }
}
