@{
    RootModule             = 'WeComPS.dll'
    # Imported before the root module: it decides where the module's libraries load from (WeComPS.Loader).
    NestedModules          = @('WeComPS.Loader.dll')
    # Stamped from Directory.Build.props when the module is built.
    ModuleVersion          = '0.1.0'
    GUID                   = '5f0c8d3e-9a41-4c57-b1d2-7e6a2f4c9b10'
    Author                 = 'WeComPS contributors'
    CompanyName            = 'WeComPS contributors'
    Copyright              = '(c) WeComPS contributors. MIT License.'
    Description            = 'Administer a WeCom (企业微信) organisation from PowerShell: access tokens, departments, members, tags and directory sync, with a built-in sandbox.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('WeComPS.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-WeCom'
        'Disconnect-WeCom'
        'Get-WeComConnection'
        'Get-WeComDepartment'
        'New-WeComDepartment'
        'Set-WeComDepartment'
        'Remove-WeComDepartment'
        'Get-WeComUser'
        'New-WeComUser'
        'Set-WeComUser'
        'Enable-WeComUser'
        'Disable-WeComUser'
        'Remove-WeComUser'
        'Get-WeComUserId'
        'ConvertTo-WeComOpenId'
        'Send-WeComInvitation'
        'Get-WeComTag'
        'New-WeComTag'
        'Set-WeComTag'
        'Remove-WeComTag'
        'Get-WeComTagMember'
        'Add-WeComTagUser'
        'Remove-WeComTagUser'
        'Sync-WeComUser'
        'Sync-WeComDepartment'
        'Get-WeComJob'
        'Wait-WeComJob'
        'Export-WeComUser'
        'Export-WeComDepartment'
        'Export-WeComTagUser'
        'Invoke-WeComApi'
        'Compare-WeComUser'
        'Compare-WeComDepartment'
        'Invoke-WeComPlan'
        'Get-WeComJournal'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('WeCom', 'WeChatWork', 'WorkWeixin', 'Directory', 'Contacts', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/WeComPS/WeComPS/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/WeComPS/WeComPS'
            ReleaseNotes = 'First release: connect (secret, credential, environment, sandbox); read and change departments, members and tags with -WhatIf/-Confirm, batching and per-item errors; directory sync and export jobs; rate limiting, retries and exactly-once writes at 50,000-member scale; Invoke-WeComApi; en-US and zh-CN help; tab completion. See CHANGELOG.md in the project.'
        }
    }
}
